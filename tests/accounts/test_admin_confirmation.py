"""Admin actions that send something or cannot be undone ask first, on one shared page, and run only on confirm=yes."""

import pytest
from django.contrib.messages import get_messages

from accounts.models import ApiKey

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/account/"


def test_terminate_first_shows_the_selected_accounts_and_changes_nothing(admin_client, contact, make_account):
    first, second = make_account(contact), make_account(contact, currency_code="USD")

    page = admin_client.post(CHANGELIST, {"action": "terminate", "_selected_action": [str(first.pk), str(second.pk)]})

    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "admin/accounts/account/terminate.html"
    text = page.content.decode()
    assert "Terminate these accounts?" in text
    assert (
        f"/admin/accounts/account/{first.pk}/change/" in text and f"/admin/accounts/account/{second.pk}/change/" in text
    )
    assert 'name="confirm" value="yes"' in text and 'name="action" value="terminate"' in text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("ACTIVE", "ACTIVE")


def test_a_post_without_confirm_yes_changes_nothing(admin_client, contact, make_account):
    account = make_account(contact)

    admin_client.post(CHANGELIST, {"action": "suspend", "confirm": "no", "_selected_action": [str(account.pk)]})

    account.refresh_from_db()
    assert account.state == "ACTIVE"


def test_confirming_runs_the_service_on_each_row(admin_client, contact, make_account):
    account = make_account(contact)

    response = admin_client.post(
        CHANGELIST, {"action": "suspend", "confirm": "yes", "_selected_action": [str(account.pk)]}, follow=True
    )

    account.refresh_from_db()
    assert account.state == "SUSPENDED"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Suspended: {account}"]


def test_revoking_api_keys_asks_then_reports_each_key(admin_client, make_api_key):
    make_api_key()
    key = ApiKey.objects.get()
    url = "/admin/accounts/apikey/"

    asked = admin_client.post(url, {"action": "revoke", "_selected_action": [str(key.pk)]})
    key.refresh_from_db()
    assert "Revoke these API keys?" in asked.content.decode() and key.revoked_on is None

    admin_client.post(url, {"action": "revoke", "confirm": "yes", "_selected_action": [str(key.pk)]})
    key.refresh_from_db()
    assert key.revoked_on is not None

    again = admin_client.post(
        url, {"action": "revoke", "confirm": "yes", "_selected_action": [str(key.pk)]}, follow=True
    )
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        f"Not revoked — {key}: API key test key is already revoked."
    )
