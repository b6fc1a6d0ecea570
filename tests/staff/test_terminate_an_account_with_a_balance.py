"""A supervisor terminates an account holding money by transferring its balance to an account found by search."""

from decimal import Decimal

import pytest

from .helpers import run_action, success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_terminate_an_account_with_a_balance_by_transferring_it(
    page, live_server, staff_login, screenshot, make_contact, make_account
):
    maria = make_contact(first_name="Maria", last_name="Georgiou")
    eleni = make_contact(first_name="Eleni", last_name="Christou")
    holding = make_account(maria, balance="40.00", name="Maria Georgiou EUR")
    target = make_account(eleni, balance="10.00", name="Eleni Christou EUR")

    staff_login()
    page.goto(f"{live_server.url}/admin/accounts/account/?q=Georgiou")
    run_action(page, "Terminate selected accounts…", holding.number, confirm=False)
    assert "Transfer the balance to" in page.inner_text("#content")
    screenshot("asks-where-the-balance-goes")

    page.fill(f"#find_{holding.pk}", "Christou")
    page.get_by_role("button", name="Find").click()
    page.select_option(f"#transfer_to_{holding.pk}", value=str(target.pk))
    screenshot("transfer-picked")
    page.get_by_role("button", name="Yes, terminate").click()
    page.wait_for_load_state()
    screenshot("terminated")

    assert any(holding.name in message for message in success_messages(page))
    holding.refresh_from_db()
    target.refresh_from_db()
    assert (holding.state, holding.balance, holding.transferred_balance) == ("TERMINATED", 0, Decimal("40.00"))
    assert target.balance == Decimal("50.00")
