"""Seed 004: a contact's `code` is "available on subsequent operations as a resource's identifier, alongside with the
GUID". Every v2 path, body and filter that takes a contact id takes the code too."""

import uuid

import pytest

from accounts.models import Account, Address
from activities.models import Activity, ActivityType

pytestmark = pytest.mark.django_db


@pytest.fixture
def c123(make_contact, make_account):
    contact = make_contact(first_name="John", last_name="Doe", code="C123")
    make_account(contact, is_primary=True)
    return contact


def test_get_the_contacts_accounts_by_code(backoffice, c123):
    by_code = backoffice.get("/backoffice/v2/contacts/C123/accounts")
    by_guid = backoffice.get(f"/backoffice/v2/contacts/{c123.id}/accounts")

    assert by_code.status_code == 200
    assert by_code.json() == by_guid.json()
    assert [account["number"] for account in by_code.json()["content"]] == [c123.accounts.get().number]


def test_get_the_contact_by_code(backoffice, c123):
    response = backoffice.get("/backoffice/v2/contacts/C123")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["code"]) == (str(c123.id), "C123")


def test_add_an_account_and_an_address_by_code(backoffice, c123):
    account = backoffice.post("/backoffice/v2/contacts/C123/accounts", {"currency_code": "USD"}, format="json")
    address = backoffice.post(
        "/backoffice/v2/contacts/C123/addresses", {"address_line_1": "7 Tower Stars", "country_code": "CYP"}
    )

    assert (account.status_code, address.status_code) == (201, 201)
    assert Account.objects.get(pk=account.json()["id"]).contact == c123
    assert Address.objects.get(pk=address.json()["id"]).contact == c123


def test_the_analytics_by_code(backoffice, c123):
    response = backoffice.get("/backoffice/v2/contacts/C123/analytics", {"metrics": "ACCOUNT_TOTALS"})

    assert response.status_code == 200


@pytest.mark.parametrize("identifier", ["C999", "c123", str(uuid.uuid4()), "C123 and more", "x" * 65])
def test_an_identifier_that_names_no_contact_is_not_found(backoffice, c123, identifier):
    response = backoffice.get(f"/backoffice/v2/contacts/{identifier}/accounts")

    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"status", "message", "error", "parameters"}
    assert (body["error"], body["parameters"]) == ("CRM.EXCEPTIONS.NOTFOUNDEXCEPTION", ["contact", identifier])


def test_a_test_contacts_code_is_not_found_with_a_live_key(backoffice, backoffice_test_mode, make_contact):
    make_contact(is_test=True, code="SANDBOX1")

    assert backoffice.get("/backoffice/v2/contacts/SANDBOX1/accounts").status_code == 404
    assert backoffice_test_mode.get("/backoffice/v2/contacts/SANDBOX1/accounts").status_code == 200


def test_a_guid_wins_over_a_code_that_spells_it(backoffice, make_contact):
    target = make_contact()
    make_contact(code=str(target.id))

    response = backoffice.get(f"/backoffice/v2/contacts/{target.id}")

    assert response.json()["id"] == str(target.id)


def test_a_code_that_is_a_guid_of_no_contact_finds_its_contact(backoffice, make_contact):
    external = str(uuid.uuid4())
    contact = make_contact(code=external)

    response = backoffice.get(f"/backoffice/v2/contacts/{external}")

    assert response.json()["id"] == str(contact.id)


@pytest.mark.parametrize("identifier", ["C1\\u000023", "\\ud800"])
def test_a_contact_named_with_a_nul_or_a_lone_surrogate_in_a_body_is_not_found(backoffice, c123, identifier):
    visit = ActivityType.objects.create(name="site visit")
    # As the JSON text arrives: the escapes are the body's, not Python's.
    body = (
        f'{{"name": "Call", "type_id": "{visit.id}", "scheduled_on": {{"from_date": 1592809457}}, '
        f'"linked_to": [{{"type": "CONTACT", "id": "{identifier}"}}]}}'
    )

    response = backoffice.post("/backoffice/v2/activities", body, content_type="application/json")

    assert response.status_code in (400, 404)
    assert response.json()["error"].startswith("CRM.EXCEPTIONS.")
    assert not Activity.objects.exists()
