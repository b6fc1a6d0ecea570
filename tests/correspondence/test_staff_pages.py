"""Correspondence on the staff dashboard (the customer's page: tests/insights/)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_letters_by_status(staff, contact, make_correspondence):
    make_correspondence(contact)
    make_correspondence(contact, render=False)

    page = staff.get("/admin/").content.decode()

    assert "Correspondence by status" in page
    assert "/admin/correspondence/correspondence/?status=awaiting_pdf" in page
