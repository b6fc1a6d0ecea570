"""A test-mode key sees and changes only test records; a live key only live ones."""

import pytest

from accounts.models import Account, Contact

pytestmark = pytest.mark.django_db


def test_records_created_with_a_test_key_are_marked_test(backoffice_test_mode):
    response = backoffice_test_mode.post(
        "/backoffice/v2/contacts", {"first_name": "Tess", "last_name": "Mode"}, format="json"
    )
    contact = Contact.objects.get(pk=response.json()["id"])
    assert contact.is_test

    account = backoffice_test_mode.post(f"/backoffice/v2/contacts/{contact.id}/accounts", {"currency_code": "EUR"})
    assert Account.objects.get(pk=account.json()["id"]).is_test


def test_a_test_key_cannot_see_or_change_live_records(backoffice_test_mode, contact, make_account):
    account = make_account(contact)

    assert backoffice_test_mode.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 404
    assert backoffice_test_mode.get(f"/backoffice/v2/accounts/{account.id}").status_code == 404
    assert backoffice_test_mode.get("/backoffice/v2/contacts").json()["paging"]["total"] == 0
    response = backoffice_test_mode.post(f"/backoffice/v2/accounts/{account.id}/actions", {"state": "SUSPENDED"})
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.state == "ACTIVE"


def test_a_live_key_cannot_see_test_records(backoffice, make_contact, make_account):
    test_contact = make_contact(is_test=True)
    account = make_account(test_contact)

    assert backoffice.get(f"/backoffice/v2/contacts/{test_contact.id}").status_code == 404
    assert backoffice.get(f"/backoffice/v2/accounts/{account.id}").status_code == 404
    assert backoffice.put(f"/backoffice/v2/accounts/{account.id}", {"credit_limit": 1}).status_code == 404


def test_a_live_key_cannot_transfer_into_a_test_account(backoffice, contact, make_contact, make_account):
    live = make_account(contact, balance="5")
    test_account = make_account(make_contact(is_test=True), currency_code="EUR")

    response = backoffice.post(
        f"/backoffice/v2/accounts/{live.id}/actions", {"state": "TERMINATED", "account_id": str(test_account.id)}
    )

    assert response.status_code == 404
    live.refresh_from_db()
    assert live.balance == 5
