"""Admin account actions call the same services as the API and report each row."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

pytestmark = pytest.mark.django_db


def run_action(admin_client, action, accounts):
    return admin_client.post(
        "/admin/accounts/account/",
        {"action": action, "confirm": "yes", "_selected_action": [str(a.pk) for a in accounts]},
        follow=True,
    )


def test_suspend_and_reactivate(admin_client, contact, make_account):
    account = make_account(contact)

    run_action(admin_client, "suspend", [account])
    account.refresh_from_db()
    assert account.state == "SUSPENDED"

    run_action(admin_client, "reactivate", [account])
    account.refresh_from_db()
    assert account.state == "ACTIVE"


def test_terminate_reports_success_and_failure_per_row(admin_client, contact, make_account):
    empty = make_account(contact)
    holding = make_account(contact, currency_code="USD", balance="12.00")

    response = run_action(admin_client, "terminate", [empty, holding])

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Terminated" in m and empty.number in m for m in messages)
    assert any("Not terminated" in m and holding.number in m and "12.00" in m for m in messages)
    empty.refresh_from_db()
    holding.refresh_from_db()
    assert empty.state == "TERMINATED"
    assert (holding.state, holding.balance) == ("ACTIVE", Decimal("12.00"))


def test_contact_page_shows_addresses_and_accounts_inline(admin_client, contact, make_account):
    account = make_account(contact)
    page = admin_client.get(f"/admin/accounts/contact/{contact.pk}/change/").content.decode()
    assert "2265 Oak Street" in page
    assert account.number in page


def test_staff_without_delete_permission_does_not_see_terminate(client, django_user_model, contact, make_account):
    from django.contrib.auth.models import Permission

    make_account(contact)
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_account", "change_account"]))
    client.force_login(clerk)

    page = client.get("/admin/accounts/account/").content.decode()

    assert 'value="suspend"' in page
    assert 'value="terminate"' not in page
