"""Staff writing letters in the admin are refused what the letter services refuse the backend family
(test_domain_rules_api.py): under the section's box, the number or the attachment, in words; nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from correspondence.models import Correspondence, CorrespondenceAttachment
from correspondence.services.letters.records import MAX_SECTION_LENGTH
from tests.admin_forms import field_errors, form_data

pytestmark = pytest.mark.django_db

LETTERS = "/admin/correspondence/correspondence/"
ADD = f"{LETTERS}add/"


def change_url(letter) -> str:
    return f"{LETTERS}{letter.pk}/change/"


def snapshot(letter) -> dict:
    return Correspondence.objects.filter(pk=letter.pk).values().get()


def write(staff, contact, kind, **fields):
    body = {
        "customer": contact.pk,
        "correspondence_type": kind.pk,
        "number": "",
        "correspondence_date": "2026-11-24",
        "section_subject": "Your new tariff",
        "section_body": "Dear customer,\n\nYour tariff changes.",
        "section_ps": "",
    }
    return staff.post(ADD, {**body, **fields})


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"section_subject": "   "}, "section_subject", "Standard letter needs the section Subject."),
        ({"section_body": ""}, "section_body", "Standard letter needs the section Body."),
        (
            {"section_ps": "x" * (MAX_SECTION_LENGTH + 1)},
            "section_ps",
            f"P.S. is longer than {MAX_SECTION_LENGTH} characters.",
        ),
    ],
)
def test_a_new_letter_breaking_its_types_sections_is_a_field_error(staff, contact, letter_type, fields, field, error):
    response = write(staff, contact, letter_type, **fields)

    assert field_errors(response) == {field: [error]}
    assert not Correspondence.objects.exists()


def test_a_number_the_customer_already_has_is_a_field_error(staff, contact, letter_type, make_correspondence):
    make_correspondence(contact)

    response = write(staff, contact, letter_type, number="1")

    assert field_errors(response) == {"number": ["The customer already has correspondence number 1."]}
    assert Correspondence.objects.count() == 1


def test_a_type_no_longer_offered_is_not_written(staff, contact, letter_type):
    letter_type.is_active = False
    letter_type.save()

    response = write(staff, contact, letter_type)

    assert response.status_code == 200
    assert "correspondence_type" in response.context["form"].errors
    assert not Correspondence.objects.exists()


def test_a_changed_letter_breaking_its_sections_is_a_field_error(staff, contact, make_correspondence):
    letter = make_correspondence(contact)
    before = snapshot(letter)
    url = change_url(letter)

    response = staff.post(url, form_data(staff, url, section_body=""))

    assert field_errors(response) == {"section_body": ["Standard letter needs the section Body."]}
    assert snapshot(letter) == before


def test_renumbering_to_a_taken_number_is_a_field_error(staff, contact, make_correspondence):
    make_correspondence(contact)
    second = make_correspondence(contact)
    before = snapshot(second)
    url = change_url(second)

    response = staff.post(url, form_data(staff, url, number="1"))

    assert field_errors(response) == {"number": ["The customer already has correspondence number 1."]}
    assert snapshot(second) == before


def test_what_a_delivered_letter_says_cannot_change(staff, contact, make_correspondence):
    letter = make_correspondence(contact)
    Correspondence.objects.filter(pk=letter.pk).update(delivered_on=letter.ready_on)
    before = snapshot(letter)
    url = change_url(letter)

    response = staff.post(url, form_data(staff, url, section_body="Changed after it arrived."))

    form = response.context["adminform"].form
    assert form.non_field_errors() == [
        f"Correspondence {letter.id} has been delivered; what it says can no longer change. "
        "Create new correspondence instead."
    ]
    assert snapshot(letter) == before


@pytest.mark.parametrize("name", ["terms/2026.pdf", "new\tterms.pdf", "a\\b.pdf"])
def test_an_attachment_name_the_api_refuses_is_a_field_error(staff, contact, make_correspondence, name):
    letter = make_correspondence(contact)
    url = change_url(letter)
    upload = SimpleUploadedFile("terms.pdf", b"%PDF-1.4 terms", content_type="application/pdf")
    data = form_data(staff, url)
    data |= {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-name": name,
        "attachments-0-content_type": "application/pdf",
        "attachments-0-file": upload,
    }

    response = staff.post(url, data)

    assert field_errors(response) == {
        "attachments-0-name": [
            f"{name!r} is not a usable attachment name: one line of printable characters, without / or \\."
        ]
    }
    assert not CorrespondenceAttachment.objects.exists()


def test_an_attachment_staff_add_is_kept_under_its_trimmed_name_with_its_size(staff, contact, make_correspondence):
    letter = make_correspondence(contact)
    url = change_url(letter)
    data = form_data(staff, url)
    data |= {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-name": "  terms.pdf ",
        "attachments-0-content_type": "application/pdf",
        "attachments-0-file": SimpleUploadedFile("terms.pdf", b"%PDF-1.4 terms", content_type="application/pdf"),
    }

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff.post(url, data)

    assert response.status_code == 302, field_errors(response)
    attachment = CorrespondenceAttachment.objects.get()
    assert (attachment.name, attachment.size) == ("terms.pdf", len(b"%PDF-1.4 terms"))


def test_a_letter_not_ready_is_not_marked_delivered(staff, contact, make_correspondence):
    waiting = make_correspondence(contact, render=False)
    before = snapshot(waiting)

    response = staff.post(
        LETTERS, {"action": "mark_delivered", "confirm": "yes", "_selected_action": [waiting.pk]}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        f"Not delivered — {waiting}: Correspondence {waiting.id} is not ready yet; its PDF is still being rendered."
    ]
    assert snapshot(waiting) == before


def test_a_letter_to_a_customer_without_an_address_is_not_emailed(staff, make_contact, make_correspondence):
    letter = make_correspondence(make_contact(email=""))
    before = snapshot(letter)

    response = staff.post(
        LETTERS, {"action": "email_to_customer", "confirm": "yes", "_selected_action": [letter.pk]}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        f"Not queued for email — {letter}: The customer has no email address and no correspondence recipients; "
        "name the addresses in the letter's Email page."
    ]
    assert snapshot(letter) == before
    assert not letter.emails.exists()
