"""Correspondence on the staff dashboard and on the customer's page."""

import pytest
from django.contrib.auth import get_user_model

from accounts import backoffice

pytestmark = pytest.mark.django_db


def test_the_customer_view_gets_their_letters_with_the_pdf(staff, contact, make_correspondence):
    ready = make_correspondence(contact)
    waiting = make_correspondence(contact, render=False)
    user = get_user_model().objects.get(username="staff")

    (section,) = [s for s in backoffice.customer_sections(contact, user) if s.title == "Correspondence"]

    assert [entry.title for entry in section.entries] == ["Standard letter 2", "Standard letter 1"]
    latest, first = section.entries
    assert latest.url == f"/admin/correspondence/correspondence/{waiting.pk}/change/"
    assert "awaiting its PDF" in latest.detail and latest.extra_url == ""
    assert first.extra_url == f"/admin/correspondence/correspondence/{ready.pk}/pdf/" and first.extra_label == "PDF"
    assert section.list_url == f"/admin/correspondence/correspondence/?customer={contact.pk}"


def test_the_dashboard_counts_letters_by_status(staff, contact, make_correspondence):
    make_correspondence(contact)
    make_correspondence(contact, render=False)

    page = staff.get("/admin/").content.decode()

    assert "Correspondence by status" in page
    assert "/admin/correspondence/correspondence/?status=awaiting_pdf" in page
