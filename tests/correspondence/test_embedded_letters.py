"""The backend family (/backend/api/v1/) on the embedded default: SQLite, PDFs rendered and emails sent in-process."""

import pytest
from django.db import connection

from correspondence.models import CorrespondenceEmail
from tests.clients import BearerClient

from .helpers import API, pdf_text

pytestmark = [pytest.mark.embedded, pytest.mark.django_db(transaction=True)]


def test_add_read_the_pdf_email_and_deliver(api_key, contact, letter_type, smtp_server):
    assert connection.vendor == "sqlite"
    client = BearerClient(api_key)  # no help with commits: on the embedded default, each request commits itself
    body = {"correspondenceType": "Standard letter", "content": {"subject": "Hello", "body": "On SQLite."}}

    created = client.post(f"{API}/customers/{contact.id}/correspondence/", body, format="json").json()
    pdf = client.get(f"{API}/correspondence/{created['id']}", HTTP_ACCEPT="application/pdf")
    emailed = client.post(
        f"{API}/correspondence/{created['id']}?action=email", {"email": "a@example.com"}, format="json"
    )
    delivered = client.post(f"{API}/correspondence/{created['id']}?action=deliver")
    read = client.get(f"{API}/correspondence/{created['id']}", HTTP_ACCEPT="application/json")

    # In-process tasks: the PDF is rendered before the response to the add leaves.
    assert created["status"] == ["ready"]
    assert "On SQLite." in pdf_text(pdf.content)
    assert emailed.json()["success"] is True
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["a@example.com"]]
    assert CorrespondenceEmail.objects.get().result == "sent"
    assert delivered.json()["status"] == ["ready", "emailed", "delivered"]
    assert read.content == delivered.content
