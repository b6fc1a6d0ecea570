"""A letter's preview: the pages as the letter will print, before it is saved, refusing what saving would refuse,
and writing nothing (not even the number it shows)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import TestCase

from accounts.errors import InvalidValue, MissingValue
from correspondence import services
from correspondence.models import Correspondence

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/correspondence/correspondence/preview/"
CONTENT = {"subject": "Your new tariff", "body": "Your tariff changes on 1 May."}


def test_the_preview_is_a_picture_per_page_and_nothing_is_written(contact, letter_type):
    long_body = "\n\n".join(f"Paragraph {n} of a long letter." for n in range(1, 80))

    preview = services.preview_correspondence(
        contact, correspondence_type=letter_type, content={"subject": "Long", "body": long_body}
    )

    assert preview.number == "1"
    assert len(preview.pages) >= 2
    assert all(page.startswith(b"\x89PNG") for page in preview.pages)
    assert not Correspondence.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=False):
        saved = services.create_correspondence(contact, correspondence_type=letter_type, content=CONTENT)
    assert saved.number == "1"


def test_the_preview_shows_the_next_free_number(contact, letter_type, make_correspondence):
    make_correspondence(contact, number="2", render=False)
    make_correspondence(contact, render=False)

    assert services.preview_correspondence(contact, correspondence_type=letter_type, content=CONTENT).number == "3"
    assert services.preview_correspondence(
        contact, correspondence_type=letter_type, content=CONTENT, number="A-7"
    ).number == ("A-7")


def test_the_preview_refuses_what_saving_refuses(contact, letter_type, make_correspondence):
    earlier = make_correspondence(contact, render=False)

    with pytest.raises(MissingValue) as missing:
        services.preview_correspondence(contact, correspondence_type=letter_type, content={"subject": "No body"})
    with pytest.raises(InvalidValue) as unknown:
        services.preview_correspondence(contact, correspondence_type=letter_type, content={**CONTENT, "pps": "x"})
    with pytest.raises(Exception, match=f"already has correspondence number {earlier.number}"):
        services.preview_correspondence(
            contact, correspondence_type=letter_type, content=CONTENT, number=earlier.number
        )

    assert missing.value.field == "content.body"
    assert unknown.value.field == "content.pps"
    assert list(Correspondence.objects.all()) == [earlier]


def letter_form(contact, letter_type, **sections) -> dict:
    return {
        "customer": contact.pk,
        "correspondence_type": letter_type.pk,
        "number": "",
        "correspondence_date": "24/11/2026",
        "section_subject": sections.get("subject", ""),
        "section_body": sections.get("body", ""),
        "section_ps": sections.get("ps", ""),
    }


def test_the_preview_page_shows_the_pages_as_pictures(staff, contact, letter_type):
    response = staff.post(PREVIEW, letter_form(contact, letter_type, subject="Hello", body="Your tariff changes."))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('src="data:image/png;base64,') == 1
    assert 'alt="Page 1 of 1 of the letter"' in page
    assert "with our reference 1" in page
    assert not Correspondence.objects.exists()


def test_the_preview_page_says_in_words_what_is_missing(staff, contact, letter_type):
    response = staff.post(PREVIEW, letter_form(contact, letter_type, subject="Hello", body="  \r\n "))
    unchosen = staff.post(PREVIEW, {"section_subject": "Hello"})

    assert "Body: Standard letter needs the section Body." in response.content.decode()
    assert "data:image/png" not in response.content.decode()
    assert "Choose the customer and the type of letter first." in unchosen.content.decode()
    assert not Correspondence.objects.exists()


def test_writing_a_letter_needs_the_permission_to_add_one(client, django_user_model, contact, letter_type):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_correspondence"))
    client.force_login(clerk)

    assert client.post(PREVIEW, letter_form(contact, letter_type, subject="Hi", body="Hi")).status_code == 403
    assert client.get(f"/admin/correspondence/correspondence/add/?contact={contact.pk}").status_code == 403


def test_the_letters_page_previews_changes_without_saving_them(staff, contact, make_correspondence):
    letter = make_correspondence(contact)
    page = staff.get(f"/admin/correspondence/correspondence/{letter.pk}/change/").content.decode()
    assert f'data-url="/admin/correspondence/correspondence/{letter.pk}/preview/"' in page

    response = staff.post(
        f"/admin/correspondence/correspondence/{letter.pk}/preview/",
        {
            "number": letter.number,
            "correspondence_date": "24/11/2026",
            "section_subject": "Corrected subject",
            "section_body": "Corrected text.",
            "section_ps": "",
        },
    )

    assert 'alt="Page 1 of 1 of the letter"' in response.content.decode()
    letter.refresh_from_db()
    assert (letter.content["subject"], letter.revision) == ("Your new tariff", 1)


def test_a_sent_letter_offers_no_preview_of_changes(staff, contact, make_correspondence):
    letter = make_correspondence(contact)
    services.mark_delivered(letter)

    page = staff.get(f"/admin/correspondence/correspondence/{letter.pk}/change/").content.decode()
    response = staff.post(
        f"/admin/correspondence/correspondence/{letter.pk}/preview/",
        {"number": letter.number, "correspondence_date": "24/11/2026", "section_subject": "New", "section_body": "x"},
    )

    assert "letter-preview-button" not in page
    assert "what it says can no longer change" in response.content.decode()
    assert "data:image/png" not in response.content.decode()


def test_saving_changes_to_a_sent_letter_is_refused_in_words(staff, contact, make_correspondence):
    letter = make_correspondence(contact)
    services.mark_delivered(letter)

    response = staff.post(
        f"/admin/correspondence/correspondence/{letter.pk}/change/",
        {
            "number": letter.number,
            "correspondence_date": letter.correspondence_date.strftime("%d/%m/%Y"),
            "section_subject": "New",
            "section_body": "x",
            **{
                f"{p}-{k}": "0"
                for p in ("attachments", "emails", "status_changes")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )

    assert response.status_code == 200
    assert "what it says can no longer change" in response.content.decode()
    letter.refresh_from_db()
    assert letter.content["subject"] == "Your new tariff"
