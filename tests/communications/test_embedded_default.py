"""The embedded default (SQLite, in-process tasks): a completed email communication still reaches SMTP."""

import pytest
from django.db import connection

from communications.models import OutboundMessage

pytestmark = [pytest.mark.embedded, pytest.mark.django_db(transaction=True)]


def test_an_email_communication_is_delivered_without_postgres_or_a_broker(crm, contact, smtp_server):
    assert connection.vendor == "sqlite"

    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "OUTGOING",
            "media": "EMAIL",
            "to": "kathy.clark@example.com",
            "subject": "Welcome, #contact_information.first_name",
            "content": "Hello #contact_information.first_name",
        },
    )

    assert response.status_code == 200, response.content
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["kathy.clark@example.com"]
    assert mail.message["Subject"] == "Welcome, John"
    assert OutboundMessage.objects.get().status == "SENT"


def test_the_queue_claim_works_on_sqlite(crm, make_queue_entry):
    entry = make_queue_entry()

    first = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": entry.number}})
    second = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": entry.number}})

    assert (first.status_code, second.status_code) == (200, 400)
