"""The back-office v2 family refuses what the domain refuses, in its own error body, and nothing is written."""

from decimal import Decimal

import pytest

from accounts.models import Account, Contact

pytestmark = pytest.mark.django_db

PERSON = {"first_name": "John", "last_name": "Doe", "email": "j_doe@example.com"}
INVALID = "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"phone": "call me maybe"}, "phone"),
        ({"preferred_language": "english"}, "preferred_language"),
        ({"date_of_birth": "2090-01-01"}, "date_of_birth"),
        ({"type": "COMPANY", "company_name": ""}, "company_name"),
    ],
)
def test_a_contact_breaking_a_rule_is_refused(backoffice, change, parameter):
    response = backoffice.post("/backoffice/v2/contacts", {**PERSON, **change}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["error"], body["parameters"]) == (400, INVALID, [parameter])
    assert not Contact.objects.exists()


def test_a_contacts_language_is_kept_in_lower_case(backoffice):
    response = backoffice.post(
        "/backoffice/v2/contacts", {**PERSON, "preferred_language": "EN", "phone": "912 34 567"}, format="json"
    )

    assert response.status_code == 201
    assert Contact.objects.values_list("preferred_language", "phone").get() == ("en", "912 34 567")


def add_account(backoffice, contact, **body):
    return backoffice.post(f"/backoffice/v2/contacts/{contact.id}/accounts", body, format="json")


def test_a_currency_outside_iso_4217_is_refused(backoffice, contact):
    response = add_account(backoffice, contact, currency_code="XYZ")

    assert response.status_code == 400
    assert (response.json()["error"], response.json()["parameters"]) == (INVALID, ["currency_code"])
    assert not Account.objects.exists()


def test_a_second_account_in_one_currency_is_refused(backoffice, contact, make_account):
    held = make_account(contact, currency_code="EUR")

    response = add_account(backoffice, contact, currency_code="eur")

    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "CRM.EXCEPTIONS.ALREADYEXISTSEXCEPTION"
    assert (
        body["message"]
        == f"The contact already has account {held.number} in EUR; a contact has one account per currency."
    )
    assert list(Account.objects.all()) == [held]


def test_a_new_account_in_the_currency_of_a_terminated_one_is_accepted(backoffice, contact, make_account):
    old = make_account(contact, currency_code="EUR")
    Account.objects.filter(pk=old.pk).update(state="TERMINATED")

    response = add_account(backoffice, contact, currency_code="EUR")

    assert response.status_code == 201
    assert Account.objects.filter(contact=contact, currency_code="EUR").count() == 2


def test_another_contact_may_hold_the_same_currency(backoffice, contact, make_contact, make_account):
    make_account(make_contact(), currency_code="EUR")
    assert add_account(backoffice, contact, currency_code="EUR").status_code == 201


def test_a_negative_credit_limit_is_refused(backoffice, contact, make_account):
    account = make_account(contact, credit_limit=Decimal("20.00"))

    response = backoffice.put(f"/backoffice/v2/accounts/{account.id}", {"credit_limit": -50}, format="json")

    assert response.status_code == 400
    assert (response.json()["error"], response.json()["parameters"]) == (INVALID, ["credit_limit"])
    account.refresh_from_db()
    assert account.credit_limit == Decimal("20.00")


def terminate(backoffice, account, target=None):
    body = {"state": "TERMINATED", **({"account_id": str(target.id)} if target else {})}
    return backoffice.post(f"/backoffice/v2/accounts/{account.id}/actions", body, format="json")


def test_a_balance_goes_to_another_customers_account_in_its_currency(backoffice, contact, make_contact, make_account):
    account = make_account(contact, balance="99.99", is_primary=True)
    other = make_account(make_contact(), balance="1.00", is_primary=True)

    assert terminate(backoffice, account, other).status_code == 200

    account.refresh_from_db()
    other.refresh_from_db()
    assert (account.state, account.balance, account.transferred_to) == ("TERMINATED", 0, other)
    assert (other.balance, other.is_primary) == (Decimal("100.99"), True)


@pytest.mark.parametrize(
    ("target_of", "words"),
    [
        (lambda make_contact, make_account: None, "name the account_id to transfer it to"),
        (lambda make_contact, make_account: make_account(make_contact(), currency_code="USD"), "another currency"),
    ],
)
def test_a_termination_that_would_lose_money_does_not_start(
    backoffice, contact, make_contact, make_account, target_of, words
):
    account = make_account(contact, balance="99.99")
    target = target_of(make_contact, make_account)

    response = terminate(backoffice, account, target)

    assert response.status_code == 400
    assert words in response.json()["message"]
    assert response.json()["parameters"][0] == "account_id"
    account.refresh_from_db()
    assert (account.state, account.balance, account.transferred_to) == ("ACTIVE", Decimal("99.99"), None)
