"""Every letters write validates everything before its first write: a refused request, however late in the body its
fault, leaves every table of the project as it was (counted row by row) and emails nothing."""

import base64

import pytest
from django.core import mail

from correspondence import services
from tests.fuzzing import rows_everywhere

pytestmark = pytest.mark.django_db

API = "/backend/api/v1"
LETTER = {"correspondenceType": "Standard letter", "content": {"subject": "Welcome", "body": "Dear John,\n\nHello."}}
GOOD_ATTACHMENT = {"name": "terms.pdf", "contentType": "application/pdf", "content": base64.b64encode(b"%PDF").decode()}


@pytest.fixture
def world(contact, make_correspondence):
    return {
        "contact": contact.id,
        "ready": make_correspondence(contact).id,
        "unrendered": make_correspondence(contact, render=False).id,
        "delivered": services.mark_delivered(make_correspondence(contact)).id,
    }


REFUSED = {
    "a letter whose last attachment is not base64": lambda w: (
        "POST",
        f"{API}/customers/{w['contact']}/correspondence/",
        {**LETTER, "attachments": [GOOD_ATTACHMENT, {"name": "b.pdf", "content": "%%%"}]},
    ),
    "a letter of an unknown type": lambda w: (
        "POST",
        f"{API}/customers/{w['contact']}/correspondence/",
        {**LETTER, "correspondenceType": "Postcard"},
    ),
    "a letter with a number already taken": lambda w: (
        "POST",
        f"{API}/customers/{w['contact']}/correspondence/",
        {**LETTER, "correspondenceNumber": "1"},
    ),
    "a letter with an unknown member": lambda w: (
        "POST",
        f"{API}/customers/{w['contact']}/correspondence/",
        {**LETTER, "colour": "blue"},
    ),
    "a change to a delivered letter": lambda w: (
        "PATCH",
        f"{API}/correspondence/{w['delivered']}",
        {"content": {"subject": "Other", "body": "Other"}},
    ),
    "a change with a date that is none": lambda w: (
        "PATCH",
        f"{API}/correspondence/{w['ready']}",
        {"content": {"subject": "Other", "body": "Other"}, "correspondenceDate": "24/11/2026"},
    ),
    "an email whose last address is none": lambda w: (
        "POST",
        f"{API}/correspondence/{w['ready']}?action=email",
        {"email": ["jo@example.com", "not-an-address"]},
    ),
    "an email of a letter not yet rendered": lambda w: (
        "POST",
        f"{API}/correspondence/{w['unrendered']}?action=email",
        {"email": ["jo@example.com"]},
    ),
    "an action that does not exist": lambda w: ("POST", f"{API}/correspondence/{w['ready']}?action=shred", {}),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_write_changes_no_row_and_emails_nothing(backend, world, smtp_server, case):
    method, url, body = REFUSED[case](world)
    before = rows_everywhere()

    response = getattr(backend, method.lower())(url, body, format="json")

    assert 400 <= response.status_code < 500, response.content
    assert set(response.json()) == {"error", "error_code", "hint"}
    assert rows_everywhere() == before
    assert mail.outbox == [] and smtp_server.received == []
