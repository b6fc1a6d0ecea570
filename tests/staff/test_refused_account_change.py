"""Staff changing an account the way the APIs refuse read the reason under the field, and nothing is saved."""

from decimal import Decimal

import pytest

from accounts.models import Account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refused_account_changes_are_explained_under_their_fields(
    page, live_server, staff_login, screenshot, contact, make_account
):
    account = make_account(contact, balance="99.99")

    staff_login()
    page.goto(f"{live_server.url}/admin/accounts/account/{account.pk}/change/")
    page.fill("#id_currency_code", "XYZ")
    page.click("input[name=_save]")
    page.wait_for_load_state()

    assert "'XYZ' is not an ISO 4217 currency code." in page.locator(".field-currency_code").inner_text()
    screenshot("currency-refused")

    page.fill("#id_currency_code", "EUR")
    page.fill("#id_credit_limit", "-50")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "The credit limit must not be negative." in page.locator(".field-credit_limit").inner_text()

    page.fill("#id_currency_code", "USD")
    page.fill("#id_credit_limit", "")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "its currency cannot change while it holds money" in page.locator(".field-currency_code").inner_text()
    screenshot("currency-change-refused")
    account.refresh_from_db()
    assert (account.currency_code, account.credit_limit, account.balance) == ("EUR", None, Decimal("99.99"))
    assert Account.objects.count() == 1
