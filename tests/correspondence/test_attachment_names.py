"""An attachment name with a line break or another control character is refused when the letter is added or
changed, in the letters family's error, so emailing the letter can never fail on it later."""

import base64

import pytest

from correspondence.models import Correspondence, CorrespondenceAttachment

from .helpers import API, without_hint

pytestmark = pytest.mark.django_db

LETTER = {
    "correspondenceType": "Standard letter",
    "content": {"subject": "Welcome", "body": "Dear John,\n\nWelcome aboard."},
}
CONTENT = base64.b64encode(b"Tariffs,2026\n").decode()


BAD_NAMES = ["terms\n.pdf", "terms.pdf\r\nBcc: x@example.com", "ter\tms.pdf", "a\x00.pdf", "a\x7f.txt", "a\u2028b.pdf"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_adding_a_letter_with_such_a_name_adds_nothing(backend, contact, letter_type, name):
    body = {**LETTER, "attachments": [{"name": name, "contentType": "text/plain", "content": CONTENT}]}

    response = backend.post(f"{API}/customers/{contact.id}/correspondence/", body, format="json")

    assert response.status_code == 400, response.content
    assert without_hint(response.json()) == {"error": "Invalid Value", "error_code": 400002}
    assert "attachment" in response.json()["hint"]
    assert not Correspondence.objects.exists()
    assert not CorrespondenceAttachment.objects.exists()


def test_changing_a_letter_with_such_a_name_keeps_its_attachments(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend.patch(
        f"{API}/correspondence/{correspondence.id}",
        {"attachments": [{"name": "new\nterms.pdf", "content": CONTENT}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error_code"] == 400002
    assert not CorrespondenceAttachment.objects.exists()


def test_changing_a_letter_with_an_attachment_without_a_content_type_keeps_it(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend.patch(
        f"{API}/correspondence/{correspondence.id}",
        {"attachments": [{"name": "terms.pdf", "content": CONTENT}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["attachments"] == ["terms.pdf"]
    assert CorrespondenceAttachment.objects.get().content_type == "application/octet-stream"


def test_a_name_in_any_script_is_kept_and_emailed(backend, contact, letter_type, smtp_server):
    body = {**LETTER, "attachments": [{"name": "vilkår 2026.txt", "contentType": "text/plain", "content": CONTENT}]}
    added = backend.post(f"{API}/customers/{contact.id}/correspondence/", body, format="json")
    assert added.status_code == 201, added.content

    response = backend.post(
        f"{API}/correspondence/{added.json()['id']}?action=email",
        {"email": "kathy@example.com", "attachments": ["vilkår 2026.txt"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    (mail,) = smtp_server.received
    assert "vilkår 2026.txt" in [part.get_filename() for part in mail.message.iter_attachments()]
