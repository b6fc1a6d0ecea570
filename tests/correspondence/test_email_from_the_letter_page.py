"""Emailing one letter from its page: the confirmation asks first, sends only on confirm, through the same
service as the letters API's `email` action, and is refused in words without the permission or a PDF."""

import pytest
from django.contrib.auth.models import Permission

from correspondence.models import CorrespondenceEmail, CorrespondenceRecipient

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/correspondence/correspondence/"


def addresses_form(*addresses, deleted=(), attachments=()) -> dict:
    data = {"to-TOTAL_FORMS": str(len(addresses)), "to-INITIAL_FORMS": "0", "confirm": "yes"}
    for index, address in enumerate(addresses):
        data[f"to-{index}-email"] = address
        if index in deleted:
            data[f"to-{index}-DELETE"] = "on"
    data["attachment_names"] = list(attachments)
    return data


def test_the_confirmation_names_the_addresses_and_sends_nothing(staff, make_contact, make_correspondence):
    customer = make_contact(email="maria@example.com")
    CorrespondenceRecipient.objects.create(customer=customer, email="books@example.com")
    letter = make_correspondence(customer)

    page = staff.get(f"{CHANGELIST}{letter.pk}/email/").content.decode()

    assert 'value="maria@example.com"' in page and 'value="books@example.com"' in page
    assert "Your new tariff" in page
    assert letter.pdf_filename in page
    assert not CorrespondenceEmail.objects.exists()
    assert f'href="{CHANGELIST}{letter.pk}/email/"' in staff.get(f"{CHANGELIST}{letter.pk}/change/").content.decode()


def test_confirming_emails_the_addresses_kept(staff, make_contact, make_correspondence, smtp_server):
    letter = make_correspondence(make_contact(email="maria@example.com"))

    response = staff.post(
        f"{CHANGELIST}{letter.pk}/email/",
        addresses_form("maria@example.com", "MARIA@example.com", "gone@example.com", "new@example.com", deleted=[2]),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{letter.pk}/change/#emails-group"
    assert sorted(CorrespondenceEmail.objects.values_list("email", flat=True)) == [
        "maria@example.com",
        "new@example.com",
    ]


def test_a_letter_without_its_pdf_is_not_emailed(staff, contact, make_correspondence):
    letter = make_correspondence(contact, render=False)

    response = staff.post(f"{CHANGELIST}{letter.pk}/email/", addresses_form("maria@example.com"), follow=True)

    assert "cannot be emailed yet: its PDF is still being made" in response.content.decode()
    assert not CorrespondenceEmail.objects.exists()


def test_emailing_needs_the_permission_to_email(client, django_user_model, contact, make_correspondence):
    letter = make_correspondence(contact)
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_correspondence"))
    client.force_login(clerk)

    assert client.get(f"{CHANGELIST}{letter.pk}/email/").status_code == 403
    assert client.post(f"{CHANGELIST}{letter.pk}/email/", addresses_form("a@example.com")).status_code == 403
    assert f"{letter.pk}/email/" not in client.get(f"{CHANGELIST}{letter.pk}/change/").content.decode()
    assert not CorrespondenceEmail.objects.exists()
