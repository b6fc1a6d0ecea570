import base64
import datetime as dt

import pytest
import time_machine

from correspondence.models import Correspondence, CorrespondenceAttachment

from .helpers import API, pdf_text, without_hint

pytestmark = pytest.mark.django_db

LETTER = {
    "correspondenceType": "Standard letter",
    "content": {"subject": "Welcome", "body": "Dear John,\n\nWelcome aboard."},
}


def add(backend, customer, body, **kwargs):
    return backend.post(f"{API}/customers/{customer.id}/correspondence/", body, format="json", **kwargs)


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC), tick=False)
def test_add_returns_the_new_correspondence_and_renders_it(backend, contact, letter_type):
    response = add(backend, contact, LETTER)

    assert response.status_code == 201
    body = response.json()
    correspondence = Correspondence.objects.get()
    assert body == {
        "id": str(correspondence.id),
        "correspondenceNumber": "1",
        "correspondenceDate": "2026-11-24",
        "status": [],
        "correspondenceType": "Standard letter",
        "customer": str(contact.id),
        "content": LETTER["content"],
        "attachments": [],
        "created": "2026-11-24T10:30:00Z",
    }
    # The PDF is rendered on the `pdf` queue once the record is committed; then the status is ready.
    assert backend.get(f"{API}/correspondence/{correspondence.id}").json()["status"] == ["ready"]
    pdf = backend.get(f"{API}/correspondence/{correspondence.id}", HTTP_ACCEPT="application/pdf").content
    assert "Welcome aboard." in pdf_text(pdf) and "24 November 2026" in pdf_text(pdf)


def test_numbers_are_sequential_per_customer(backend, make_contact, letter_type):
    first, second = make_contact(), make_contact()

    numbers = [add(backend, customer, LETTER).json()["correspondenceNumber"] for customer in (first, first, second)]

    assert numbers == ["1", "2", "1"]


def test_a_given_number_is_kept_and_skipped_by_the_sequence(backend, contact, letter_type):
    assert add(backend, contact, {**LETTER, "correspondenceNumber": "2"}).json()["correspondenceNumber"] == "2"
    assert add(backend, contact, {**LETTER, "correspondenceNumber": ""}).json()["correspondenceNumber"] == "1"
    assert add(backend, contact, LETTER).json()["correspondenceNumber"] == "3"


def test_a_taken_number_is_409_and_nothing_is_added(backend, contact, letter_type):
    add(backend, contact, {**LETTER, "correspondenceNumber": "A-7"})

    response = add(backend, contact, {**LETTER, "correspondenceNumber": "A-7"})

    assert response.status_code == 409
    assert without_hint(response.json()) == {"error": "Conflict", "error_code": 409001}
    assert Correspondence.objects.count() == 1


def test_date_and_attachments_are_kept(backend, contact, letter_type):
    terms = b"%PDF-1.4 terms and conditions"
    body = {
        **LETTER,
        "correspondenceDate": "2026-01-15",
        "attachments": [
            {"name": "terms.pdf", "contentType": "application/pdf", "content": base64.b64encode(terms).decode()},
            {"name": "tariffs.csv", "contentType": "text/csv", "content": base64.b64encode(b"a,b\n").decode()},
        ],
    }

    response = add(backend, contact, body)

    assert response.status_code == 201
    assert response.json()["correspondenceDate"] == "2026-01-15"
    assert response.json()["attachments"] == ["tariffs.csv", "terms.pdf"]
    stored = CorrespondenceAttachment.objects.get(name="terms.pdf")
    assert stored.content_type == "application/pdf" and stored.file.read() == terms


def test_the_seeds_trailing_commas_are_accepted(backend, contact, letter_type):
    raw = '{"correspondenceType": "Standard letter", "content": {"subject": "Hi", "body": "Text",},}'

    response = backend.post(f"{API}/customers/{contact.id}/correspondence", raw, content_type="application/json")

    assert response.status_code == 201


def test_a_test_mode_key_adds_test_correspondence(backend_test_mode, make_contact, letter_type):
    customer = make_contact(is_test=True)

    response = add(backend_test_mode, customer, LETTER)

    assert response.status_code == 201
    assert Correspondence.objects.get().is_test is True


def test_a_test_mode_key_cannot_write_to_a_live_customer(backend_test_mode, contact, letter_type):
    response = add(backend_test_mode, contact, LETTER)

    assert response.status_code == 404
    assert not Correspondence.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "error", "field"),
    [
        ({"content": LETTER["content"]}, 400003, "Missing Value", "correspondenceType"),
        ({**LETTER, "correspondenceType": "Postcard"}, 400002, "Invalid Value", "Postcard"),
        ({**LETTER, "content": {"subject": "No body"}}, 400003, "Missing Value", "content.body"),
        ({**LETTER, "content": {**LETTER["content"], "footer": "x"}}, 400002, "Invalid Value", "footer"),
        ({**LETTER, "content": "Dear John"}, 400002, "Invalid Value", "content"),
        ({**LETTER, "correspondenceDate": "24/11/2026"}, 400002, "Invalid Value", "correspondenceDate"),
        ({**LETTER, "status": ["delivered"]}, 400002, "Invalid Value", "action=deliver"),
        ({**LETTER, "colour": "blue"}, 400002, "Invalid Value", "colour"),
        ({**LETTER, "attachments": [{"name": "a.pdf", "content": "%%%"}]}, 400002, "Invalid Value", "base64"),
        ({**LETTER, "attachments": [{"name": "../a.pdf", "content": "AAAA"}]}, 400002, "Invalid Value", "attachment"),
    ],
)
def test_bad_input_is_400_and_nothing_is_added(backend, contact, letter_type, body, code, error, field):
    response = add(backend, contact, body)

    assert response.status_code == 400
    assert without_hint(response.json()) == {"error": error, "error_code": code}
    assert field in response.json()["hint"]
    assert not Correspondence.objects.exists()
    assert not CorrespondenceAttachment.objects.exists()


def test_malformed_json_is_400001(backend, contact, letter_type):
    response = backend.post(
        f"{API}/customers/{contact.id}/correspondence/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert without_hint(response.json()) == {"error": "Invalid Request", "error_code": 400001}


def test_form_encoded_body_is_415(backend, contact, letter_type):
    response = backend.post(f"{API}/customers/{contact.id}/correspondence/", {"correspondenceType": "Standard letter"})

    assert response.status_code == 415
    assert without_hint(response.json()) == {"error": "Unsupported Media Type", "error_code": 415001}


def test_a_read_only_key_cannot_add(backend_as, contact, letter_type):
    response = add(backend_as("letters.read"), contact, LETTER)

    assert response.status_code == 403
    assert response.json()["error_code"] == 403001
    assert not Correspondence.objects.exists()
