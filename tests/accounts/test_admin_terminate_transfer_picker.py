"""Terminating an account that holds money from the admin: the page asks where the balance goes."""

from decimal import Decimal

import pytest

from accounts.models import Account

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/account/"


def terminate(admin_client, account, **fields):
    return admin_client.post(CHANGELIST, {"action": "terminate", "_selected_action": [str(account.pk)], **fields})


def test_the_picker_offers_open_accounts_in_the_same_currency_and_finds_others(
    admin_client, make_contact, make_account
):
    maria, eleni = make_contact(first_name="Maria", last_name="Georgiou"), make_contact(last_name="Christou")
    holding = make_account(maria, balance="40.00", name="Maria main")
    dollars = make_account(maria, currency_code="USD", name="Maria dollars")
    elenis = make_account(eleni, name="Eleni main")
    elenis_dollars = make_account(eleni, currency_code="USD", name="Eleni dollars")

    page = terminate(admin_client, holding).content.decode()
    assert "Transfer the balance to" in page and "40.00 EUR" in page
    assert dollars.number not in page and elenis.number not in page

    page = terminate(admin_client, holding, **{f"find_{holding.pk}": "Christou", "find": str(holding.pk)})
    text = page.content.decode()
    assert "Other accounts in EUR matching “Christou”" in text
    assert elenis.number in text and elenis_dollars.number not in text
    holding.refresh_from_db()
    assert (holding.state, holding.balance) == ("ACTIVE", Decimal("40.00"))


def test_confirming_without_a_pick_terminates_nothing(admin_client, make_contact, make_account):
    holding = make_account(make_contact(), balance="40.00")

    response = terminate(admin_client, holding, confirm="yes")

    assert response.status_code == 302
    holding.refresh_from_db()
    assert (holding.state, holding.balance) == ("ACTIVE", Decimal("40.00"))


def test_an_account_without_money_needs_no_pick(admin_client, make_contact, make_account):
    empty = make_account(make_contact())

    page = terminate(admin_client, empty).content.decode()
    assert "Holds no money: nothing to transfer." in page and "Transfer the balance to" not in page

    terminate(admin_client, empty, confirm="yes")
    empty.refresh_from_db()
    assert empty.state == "TERMINATED"


def test_deleting_an_account_that_holds_money_is_refused(admin_client, make_contact, make_account):
    holding = make_account(make_contact(), balance="40.00")

    page = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [str(holding.pk)], "post": "yes"}
    )

    assert f"{holding.number} holds 40.00 EUR: terminate it with a transfer instead" in page.content.decode()
    holding.refresh_from_db()
    assert (holding.state, holding.balance) == ("ACTIVE", Decimal("40.00"))
    single = admin_client.post(f"{CHANGELIST}{holding.pk}/delete/", {"post": "yes"})
    assert "terminate it with a transfer instead" in single.content.decode()
    assert Account.objects.filter(pk=holding.pk).exists()
