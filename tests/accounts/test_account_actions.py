import uuid
from decimal import Decimal

import pytest

from accounts.models import Account

pytestmark = pytest.mark.django_db


def act(client, account, body):
    return client.post(f"/backoffice/v2/accounts/{account.id}/actions", body, format="json")


@pytest.mark.parametrize(
    ("start", "target"),
    [("ACTIVE", "SUSPENDED"), ("SUSPENDED", "ACTIVE"), ("ACTIVE", "TERMINATED"), ("SUSPENDED", "TERMINATED")],
)
def test_allowed_transitions(backoffice, contact, make_account, start, target):
    account = make_account(contact)
    Account.objects.filter(pk=account.pk).update(state=start)

    response = act(backoffice, account, {"state": target})

    assert response.status_code == 200
    assert response.json() == {"id": str(account.id)}
    account.refresh_from_db()
    assert account.state == target


@pytest.mark.parametrize(
    ("start", "target"), [("TERMINATED", "ACTIVE"), ("TERMINATED", "SUSPENDED"), ("ACTIVE", "ACTIVE")]
)
def test_refused_transitions(backoffice, contact, make_account, start, target):
    account = make_account(contact)
    Account.objects.filter(pk=account.pk).update(state=start)

    response = act(backoffice, account, {"state": target})

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDSTATETRANSITIONEXCEPTION"
    account.refresh_from_db()
    assert account.state == start


def test_seed_example_reactivates_and_ignores_the_transfer_account(backoffice, contact, make_account):
    account = make_account(contact, balance="10")
    other = make_account(contact, currency_code="USD")
    Account.objects.filter(pk=account.pk).update(state="SUSPENDED")

    response = act(backoffice, account, {"state": "ACTIVE", "account_id": str(other.id)})

    assert response.status_code == 200
    account.refresh_from_db()
    assert (account.state, account.balance) == ("ACTIVE", Decimal("10.00"))


def test_terminating_moves_the_whole_balance_in_one_step(backoffice, contact, make_contact, make_account):
    account = make_account(contact, balance="99.99", is_primary=True)
    Account.objects.filter(pk=account.pk).update(overdue_amount=Decimal("9.99"))
    # A contact holds one open account per currency, so the money goes to another customer's account in it.
    target = make_account(make_contact(), balance="1.01")

    response = act(backoffice, account, {"state": "TERMINATED", "account_id": str(target.id)})

    assert response.status_code == 200
    account.refresh_from_db()
    target.refresh_from_db()
    assert (account.state, account.balance, account.overdue_amount) == ("TERMINATED", 0, 0)
    assert (target.balance, target.overdue_amount) == (Decimal("101.00"), Decimal("9.99"))
    assert not target.is_primary and not account.is_primary
    assert account.terminated_on is not None
    assert account.transferred_balance == Decimal("99.99")


def test_terminating_with_a_balance_and_no_transfer_account_is_refused(backoffice, contact, make_account):
    account = make_account(contact, balance="99.99")

    response = act(backoffice, account, {"state": "TERMINATED"})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert body["parameters"][0] == "account_id"
    assert "99.99" in body["message"]
    account.refresh_from_db()
    assert (account.state, account.balance) == ("ACTIVE", Decimal("99.99"))


def test_terminating_an_empty_account_needs_no_transfer_account(backoffice, contact, make_account):
    account = make_account(contact)
    assert act(backoffice, account, {"state": "TERMINATED"}).status_code == 200
    account.refresh_from_db()
    assert account.terminated_on is not None
    assert account.transferred_balance == 0


def test_suspending_is_not_terminating(backoffice, contact, make_account):
    account = make_account(contact)
    assert act(backoffice, account, {"state": "SUSPENDED"}).status_code == 200
    account.refresh_from_db()
    assert (account.terminated_on, account.transferred_balance) == (None, None)


@pytest.mark.parametrize(
    "make_target",
    [
        pytest.param(
            lambda contact, make_contact, make_account: make_account(contact, currency_code="USD"), id="currency"
        ),
        pytest.param(
            lambda contact, make_contact, make_account: make_account(make_contact(), currency_code="USD"),
            id="other contact's other currency",
        ),
        pytest.param(
            lambda contact, make_contact, make_account: (
                Account.objects.filter(pk=make_account(make_contact()).pk).update(state="TERMINATED")
                and Account.objects.get(state="TERMINATED")
            ),
            id="terminated",
        ),
    ],
)
def test_transfer_account_rules(backoffice, contact, make_contact, make_account, make_target):
    account = make_account(contact, balance="50")
    target = make_target(contact, make_contact, make_account)

    response = act(backoffice, account, {"state": "TERMINATED", "account_id": str(target.id)})

    assert response.status_code == 400
    assert response.json()["parameters"][0] == "account_id"
    account.refresh_from_db()
    target.refresh_from_db()
    assert (account.state, account.balance) == ("ACTIVE", Decimal("50.00"))
    assert target.balance == 0


def test_transfer_to_itself_is_refused(backoffice, contact, make_account):
    account = make_account(contact, balance="50")
    response = act(backoffice, account, {"state": "TERMINATED", "account_id": str(account.id)})
    assert response.status_code == 400
    account.refresh_from_db()
    assert account.balance == Decimal("50.00")


def test_unknown_transfer_account(backoffice, contact, make_account):
    account = make_account(contact, balance="50")
    missing = uuid.uuid4()

    response = act(backoffice, account, {"state": "TERMINATED", "account_id": str(missing)})

    assert response.status_code == 404
    assert response.json()["parameters"] == ["account", str(missing)]


@pytest.mark.parametrize("body", [{}, {"state": "CLOSED"}, {"state": 3}])
def test_state_is_required_and_must_be_known(backoffice, contact, make_account, body):
    account = make_account(contact)
    response = act(backoffice, account, body)
    assert response.status_code == 400
    assert response.json()["parameters"][0] == "state"
