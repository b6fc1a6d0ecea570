import uuid

import pytest

from .helpers import API, pdf_pages, pdf_text, without_hint

pytestmark = pytest.mark.django_db


def test_get_returns_the_documented_fields(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact, correspondence_date="2026-11-02")

    response = backend.get(f"{API}/correspondence/{correspondence.id}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": str(correspondence.id),
        "correspondenceNumber": "1",
        "correspondenceDate": "2026-11-02",
        "status": ["ready"],
        "correspondenceType": "Standard letter",
        "customer": str(contact.id),
        "content": {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes."},
        "attachments": [],
        "created": correspondence.created_on.isoformat().replace("+00:00", "Z"),
    }


def test_accept_pdf_returns_the_letter_itself(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend.get(f"{API}/correspondence/{correspondence.id}", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="correspondence-1.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert pdf_pages(response.content) == 1
    text = pdf_text(response.content)
    assert "Your new tariff" in text and "Your tariff changes." in text and contact.last_name in text


def test_pdf_not_rendered_yet_is_404107(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact, render=False)

    response = backend.get(f"{API}/correspondence/{correspondence.id}", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert without_hint(response.json()) == {"error": "File Not Available", "error_code": 404107}
    assert backend.get(f"{API}/correspondence/{correspondence.id}").json()["status"] == []


def test_unsupported_accept_is_406(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend.get(f"{API}/correspondence/{correspondence.id}", HTTP_ACCEPT="text/csv")

    assert response.status_code == 406
    assert without_hint(response.json()) == {"error": "Not Acceptable", "error_code": 406001}


@pytest.mark.parametrize("identifier", [uuid.uuid4(), "not-a-uuid"])
def test_unknown_id_is_not_found(backend, identifier):
    response = backend.get(f"{API}/correspondence/{identifier}")

    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "error_code": 404101,
        "hint": f"No correspondence matches {identifier}.",
    }


def test_trailing_slash_is_optional(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    assert backend.get(f"{API}/correspondence/{correspondence.id}/").status_code == 200


def test_a_live_key_does_not_see_test_correspondence(backend, backend_test_mode, make_contact, make_correspondence):
    test_letter = make_correspondence(make_contact(is_test=True))

    assert backend.get(f"{API}/correspondence/{test_letter.id}").status_code == 404
    assert backend_test_mode.get(f"{API}/correspondence/{test_letter.id}").status_code == 200


def test_without_a_key_is_401(anonymous, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = anonymous.get(f"{API}/correspondence/{correspondence.id}")

    assert response.status_code == 401
    assert without_hint(response.json()) == {"error": "Authentication Required", "error_code": 401001}


def test_a_key_without_the_letters_scope_is_403(backend_as, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend_as("backoffice.read").get(f"{API}/correspondence/{correspondence.id}")

    assert response.status_code == 403
    assert without_hint(response.json()) == {"error": "Permission Denied", "error_code": 403001}
