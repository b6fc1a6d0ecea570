import base64

import pytest

from correspondence import services
from correspondence.models import Correspondence

from .helpers import API, pdf_text, without_hint

pytestmark = pytest.mark.django_db


def patch(backend, correspondence, body):
    return backend.patch(f"{API}/correspondence/{correspondence.id}", body, format="json")


def test_changing_the_content_returns_the_record_and_renders_it_anew(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)
    content = {"subject": "Your new tariff", "body": "Dear customer,\n\nThe tariff stays as it is."}

    response = patch(backend, correspondence, {"content": content})

    assert response.status_code == 200
    assert response.json()["content"] == content
    assert response.json()["status"] == [], "the old PDF no longer shows what the letter says"
    assert backend.get(f"{API}/correspondence/{correspondence.id}").json()["status"] == ["ready"]
    pdf = backend.get(f"{API}/correspondence/{correspondence.id}", HTTP_ACCEPT="application/pdf").content
    assert "The tariff stays as it is." in pdf_text(pdf)
    assert "Your tariff changes." not in pdf_text(pdf)
    history = list(correspondence.status_changes.values_list("status", "active"))
    assert history == [("ready", True), ("ready", False), ("ready", True)]


def test_changing_number_type_and_date(backend, contact, make_correspondence, notice_type):
    correspondence = make_correspondence(contact)

    response = patch(
        backend,
        correspondence,
        {
            "correspondenceNumber": "R-1",
            "correspondenceType": "Payment reminder",
            "correspondenceDate": "2026-12-01",
            "content": {"body": "Please pay."},
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["correspondenceNumber"], body["correspondenceType"], body["correspondenceDate"]) == (
        "R-1",
        "Payment reminder",
        "2026-12-01",
    )
    assert body["content"] == {"body": "Please pay."}


def test_an_attachment_is_added_without_rendering_again(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)
    upload = {"name": "terms.pdf", "contentType": "application/pdf", "content": base64.b64encode(b"x").decode()}

    response = patch(backend, correspondence, {"attachments": [upload]})

    assert response.status_code == 200
    assert response.json()["attachments"] == ["terms.pdf"]
    assert response.json()["status"] == ["ready"]
    assert Correspondence.objects.get().revision == 1


def test_content_the_new_type_lacks_is_refused(backend, contact, make_correspondence, notice_type):
    correspondence = make_correspondence(contact)

    response = patch(backend, correspondence, {"correspondenceType": "Payment reminder"})

    assert response.status_code == 400
    assert "subject" in response.json()["hint"]
    assert Correspondence.objects.get().correspondence_type.name == "Standard letter"


def test_a_delivered_letter_can_no_longer_change(backend, contact, make_correspondence):
    correspondence = services.mark_delivered(make_correspondence(contact))

    response = patch(backend, correspondence, {"content": {"subject": "Other", "body": "Other"}})

    assert response.status_code == 400
    assert without_hint(response.json()) == {"error": "Invalid State", "error_code": 400004}
    assert "delivered" in response.json()["hint"]
    assert Correspondence.objects.get().content["subject"] == "Your new tariff"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 400002),
        ({"correspondenceNumber": ""}, 400002),
        ({"content": {"subject": "", "body": "x"}}, 400003),
        ({"status": ["delivered"]}, 400002),
        ({"id": "0b7e1f0e-1c3a-4b8e-9a53-0e5b8f6e1a11"}, 400002),
    ],
)
def test_bad_changes_are_400_and_change_nothing(backend, contact, make_correspondence, body, code):
    correspondence = make_correspondence(contact)

    response = patch(backend, correspondence, body)

    assert response.status_code == 400
    assert response.json()["error_code"] == code
    unchanged = Correspondence.objects.get()
    assert (unchanged.number, unchanged.revision, unchanged.content) == ("1", 1, correspondence.content)


def test_a_number_the_customer_already_has_is_409(backend, contact, make_correspondence):
    make_correspondence(contact)
    second = make_correspondence(contact)

    response = patch(backend, second, {"correspondenceNumber": "1"})

    assert response.status_code == 409
    assert Correspondence.objects.get(pk=second.pk).number == "2"


def test_unknown_correspondence_is_404101(backend, letter_type):
    response = backend.patch(f"{API}/correspondence/0b7e1f0e-1c3a-4b8e-9a53-0e5b8f6e1a11", {}, format="json")

    assert response.status_code == 404
    assert response.json()["error_code"] == 404101
