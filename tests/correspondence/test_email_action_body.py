"""The email action's body is read as strictly as a record write: an empty address list or text, or a member the
action does not know (a misspelt `emails`), is refused in the letters format and nothing is sent."""

import pytest

from communications.models import OutboundMessage
from correspondence.models import CorrespondenceEmail

from .helpers import API, without_hint

pytestmark = pytest.mark.django_db


def email(backend, correspondence, body):
    return backend.post(f"{API}/correspondence/{correspondence.id}?action=email", body, format="json")


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ({"email": []}, "Name at least one address"),
        ({"email": ""}, "Name at least one address"),
        ({"email": " , "}, "Name at least one address"),
        ({"emails": ["kathy@example.com"]}, "emails: Unknown field"),
        ({"email": "kathy@example.com", "attachment": ["terms.pdf"]}, "attachment: Unknown field"),
        ({"email": None}, "email"),
    ],
)
def test_it_is_refused_and_nothing_is_sent(backend, make_contact, make_correspondence, smtp_server, body, hint):
    customer = make_contact(email="john@example.com")

    response = email(backend, make_correspondence(customer), body)

    assert response.status_code == 400, response.content
    assert without_hint(response.json()) == {"error": "Invalid Action", "error_code": 400502}
    assert hint in response.json()["hint"]
    assert smtp_server.received == []
    assert not CorrespondenceEmail.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_an_empty_body_still_sends_to_the_customer(backend, make_contact, make_correspondence, smtp_server):
    customer = make_contact(email="john@example.com")

    response = email(backend, make_correspondence(customer), {})

    assert response.status_code == 200, response.content
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["john@example.com"]]
