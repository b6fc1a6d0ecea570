"""Accounts on the staff dashboard, and on the customer's page."""

import pytest

from accounts.models import Account

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_accounts_by_state_with_links(staff, contact, make_account):
    make_account(contact)
    suspended = make_account(contact, currency_code="USD")
    Account.objects.filter(pk=suspended.pk).update(state="SUSPENDED")

    page = staff.get("/admin/").content.decode()

    assert "Accounts by state" in page
    assert "<svg" in page
    assert 'href="/admin/accounts/account/?state__exact=SUSPENDED&amp;is_test__exact=0"' in page
    assert staff.get("/admin/accounts/account/?state__exact=SUSPENDED&is_test__exact=0").context["cl"].result_count == 1


def test_the_contact_page_shows_everything_about_the_customer(staff, contact, make_account):
    account = make_account(contact, is_primary=True)

    page = staff.get(f"/admin/accounts/contact/{contact.pk}/change/").content.decode()

    assert "Timeline, newest first" in page
    assert f'href="/admin/accounts/account/{account.pk}/change/"' in page
    assert "primary" in page
