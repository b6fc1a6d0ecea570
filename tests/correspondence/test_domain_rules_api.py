"""The backend family (seed 000) refuses what the letter services refuse (test_domain_rules_admin.py), in its own
`{"error", "error_code", "hint"}` body with the seed's names (`correspondenceNumber`, `content.<key>`), and nothing
is written."""

import base64

import pytest

from correspondence.models import Correspondence, CorrespondenceAttachment
from correspondence.services.letters.records import MAX_SECTION_LENGTH

from .helpers import API

pytestmark = pytest.mark.django_db

CONTENT = {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes."}


def add(backend, customer, **body):
    body = {"correspondenceType": "Standard letter", "content": CONTENT, **body}
    return backend.post(f"{API}/customers/{customer.id}/correspondence/", body, format="json")


def patch(backend, letter, **body):
    return backend.patch(f"{API}/correspondence/{letter.id}", body, format="json")


def snapshot(letter) -> dict:
    return Correspondence.objects.filter(pk=letter.pk).values().get()


def refusal(code: int, error: str, hint: str) -> dict:
    return {"error": error, "error_code": code, "hint": hint}


@pytest.mark.parametrize(
    ("content", "answer"),
    [
        (
            {**CONTENT, "subject": "   "},
            refusal(400003, "Missing Value", "Standard letter needs the section content.subject."),
        ),
        ({"subject": "Hello"}, refusal(400003, "Missing Value", "Standard letter needs the section content.body.")),
        (
            {**CONTENT, "ps": "x" * (MAX_SECTION_LENGTH + 1)},
            refusal(400002, "Invalid Value", f"content.ps is longer than {MAX_SECTION_LENGTH} characters."),
        ),
    ],
)
def test_a_new_letter_breaking_its_types_sections_is_refused(backend, contact, letter_type, content, answer):
    response = add(backend, contact, content=content)

    assert (response.status_code, response.json()) == (400, answer)
    assert not Correspondence.objects.exists()


def test_a_number_the_customer_already_has_is_refused(backend, contact, letter_type, make_correspondence):
    make_correspondence(contact)

    response = add(backend, contact, correspondenceNumber="1")

    assert (response.status_code, response.json()) == (
        409,
        refusal(409001, "Conflict", "The customer already has correspondence number 1."),
    )
    assert Correspondence.objects.count() == 1


def test_a_type_no_longer_offered_is_refused(backend, contact, letter_type):
    letter_type.is_active = False
    letter_type.save()

    response = add(backend, contact)

    assert (response.status_code, response.json()) == (
        400,
        refusal(400002, "Invalid Value", "The correspondence type Standard letter is no longer offered."),
    )
    assert not Correspondence.objects.exists()


@pytest.mark.parametrize(
    ("change", "status", "answer"),
    [
        (
            {"content": {**CONTENT, "body": ""}},
            400,
            refusal(400003, "Missing Value", "Standard letter needs the section content.body."),
        ),
        (
            {"correspondenceNumber": "  "},
            400,
            refusal(400002, "Invalid Value", "correspondenceNumber cannot be blank."),
        ),
        (
            {"correspondenceNumber": "1"},
            409,
            refusal(409001, "Conflict", "The customer already has correspondence number 1."),
        ),
    ],
)
def test_a_change_breaking_a_rule_is_refused(backend, contact, make_correspondence, change, status, answer):
    make_correspondence(contact)
    second = make_correspondence(contact)
    before = snapshot(second)

    response = patch(backend, second, **change)

    assert (response.status_code, response.json()) == (status, answer)
    assert snapshot(second) == before


def test_what_a_delivered_letter_says_cannot_change(backend, contact, make_correspondence):
    letter = make_correspondence(contact)
    Correspondence.objects.filter(pk=letter.pk).update(delivered_on=letter.ready_on)
    before = snapshot(letter)

    response = patch(backend, letter, content={**CONTENT, "body": "Changed after it arrived."})

    hint = (
        f"Correspondence {letter.id} has been delivered; what it says can no longer change. "
        "Create new correspondence instead."
    )
    assert (response.status_code, response.json()) == (400, refusal(400004, "Invalid State", hint))
    assert snapshot(letter) == before


@pytest.mark.parametrize("name", ["terms/2026.pdf", "new\tterms.pdf", "a\\b.pdf"])
def test_an_unusable_attachment_name_is_refused(backend, contact, make_correspondence, name):
    letter = make_correspondence(contact)
    before = snapshot(letter)
    attachment = {"name": name, "contentType": "application/pdf", "content": base64.b64encode(b"%PDF").decode()}

    response = patch(backend, letter, attachments=[attachment])

    hint = f"{name!r} is not a usable attachment name: one line of printable characters, without / or \\."
    assert (response.status_code, response.json()) == (400, refusal(400002, "Invalid Value", hint))
    assert snapshot(letter) == before
    assert not CorrespondenceAttachment.objects.exists()


def test_a_letter_not_ready_is_not_delivered(backend, contact, make_correspondence):
    waiting = make_correspondence(contact, render=False)
    before = snapshot(waiting)

    response = backend.post(f"{API}/correspondence/{waiting.id}?action=deliver")

    hint = f"Correspondence {waiting.id} is not ready yet; its PDF is still being rendered."
    assert (response.status_code, response.json()) == (400, refusal(400502, "Invalid Action", hint))
    assert snapshot(waiting) == before


def test_a_letter_to_a_customer_without_an_address_is_not_emailed(backend, make_contact, make_correspondence):
    letter = make_correspondence(make_contact(email=""))
    before = snapshot(letter)

    response = backend.post(f"{API}/correspondence/{letter.id}?action=email", {}, format="json")

    hint = "The customer has no email address and no correspondence recipients; name the addresses in email."
    assert (response.status_code, response.json()) == (400, refusal(400502, "Invalid Action", hint))
    assert snapshot(letter) == before
    assert not letter.emails.exists()
