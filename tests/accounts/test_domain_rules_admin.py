"""Staff in the admin are refused what the services refuse, as a field error, and nothing is saved."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Account, Contact
from tests.admin_forms import field_errors, form_data

pytestmark = pytest.mark.django_db


def contact_url(contact) -> str:
    return f"/admin/accounts/contact/{contact.pk}/change/"


def account_url(account) -> str:
    return f"/admin/accounts/account/{account.pk}/change/"


def snapshot(record) -> dict:
    return {k: v for k, v in type(record).objects.filter(pk=record.pk).values().get().items() if k != "updated_on"}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"phone": "call me maybe"}, "phone", "is not a phone number"),
        ({"preferred_language": "english"}, "preferred_language", "is not an ISO 639-1 language code"),
        ({"date_of_birth": "2090-01-01"}, "date_of_birth", "must not be in the future"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"first_name": "", "middle_name": "", "last_name": ""}, "last_name", "needs a first_name or last_name"),
        ({"contact_type": "COMPANY", "company_name": ""}, "company_name", "needs a company_name"),
    ],
)
def test_a_contact_breaking_a_rule_is_a_field_error(staff, contact, change, field, words):
    before = snapshot(contact)

    response = staff.post(contact_url(contact), form_data(staff, contact_url(contact), **change))

    assert any(words in error for error in field_errors(response)[field])
    assert snapshot(contact) == before


def test_a_contacts_own_language_and_phone_are_kept_as_staff_typed_them(staff, contact):
    url = contact_url(contact)

    response = staff.post(url, form_data(staff, url, phone="+357 99 123456", preferred_language="EN"))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.phone, contact.preferred_language) == ("+357 99 123456", "en")


def test_a_birth_date_today_is_accepted(staff, contact):
    url = contact_url(contact)
    assert staff.post(url, form_data(staff, url, date_of_birth=date.today().isoformat())).status_code == 302
    contact.refresh_from_db()
    assert contact.date_of_birth == date.today()


def test_an_address_in_no_country_is_a_field_error(staff, contact):
    before = snapshot(contact.addresses.get())

    response = staff.post(
        contact_url(contact), form_data(staff, contact_url(contact), **{"addresses-0-country_code": "ZZZ"})
    )

    assert "is not an ISO 3166-1 alpha-3 country code" in " ".join(field_errors(response)["addresses-0-country_code"])
    assert snapshot(contact.addresses.get()) == before


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"currency_code": "XYZ"}, "currency_code", "is not an ISO 4217 currency code"),
        ({"currency_code": "USD"}, "currency_code", "its currency cannot change while it holds money"),
        ({"credit_limit": "-50"}, "credit_limit", "must not be negative"),
    ],
)
def test_an_account_breaking_a_rule_is_a_field_error(staff, contact, make_account, change, field, words):
    account = make_account(contact, balance="99.99")
    before = snapshot(account)

    response = staff.post(account_url(account), form_data(staff, account_url(account), **change))

    assert any(words in error for error in field_errors(response)[field])
    assert snapshot(account) == before


def test_a_currency_in_lower_case_is_stored_in_upper_case(staff, contact, make_account):
    account = make_account(contact)

    response = staff.post(account_url(account), form_data(staff, account_url(account), currency_code="usd"))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.currency_code == "USD"


def test_a_second_account_in_one_currency_is_a_field_error(staff, contact, make_account):
    held = make_account(contact, currency_code="EUR")

    response = staff.post(
        "/admin/accounts/account/add/",
        {"contact": str(contact.pk), "number": "", "name": "", "currency_code": "EUR", "credit_limit": ""},
    )

    errors = field_errors(response)["currency_code"]
    assert errors == [f"The contact already has account {held.number} in EUR; a contact has one account per currency."]
    assert Account.objects.count() == 1


def test_staff_add_an_account_in_another_currency_and_it_is_numbered(staff, contact, make_account):
    make_account(contact, currency_code="EUR")

    response = staff.post(
        "/admin/accounts/account/add/",
        {"contact": str(contact.pk), "number": "", "name": "", "currency_code": "usd", "credit_limit": "100"},
    )

    assert response.status_code == 302
    added = Account.objects.get(currency_code="USD")
    assert added.number.startswith("AC") and added.credit_limit == Decimal("100.00")
    assert added.name == f"{added.number} {contact.full_name}"


def test_making_an_account_primary_unmarks_the_previous_one(staff, contact, make_account):
    previous = make_account(contact, currency_code="EUR", is_primary=True)
    account = make_account(contact, currency_code="USD")

    response = staff.post(account_url(account), form_data(staff, account_url(account), is_primary="on"))

    assert response.status_code == 302
    assert list(Account.objects.filter(is_primary=True)) == [account]
    previous.refresh_from_db()
    assert not previous.is_primary


def test_a_terminated_account_cannot_become_primary(staff, contact, make_account):
    account = make_account(contact)
    Account.objects.filter(pk=account.pk).update(state="TERMINATED")
    before = snapshot(account)

    response = staff.post(account_url(account), form_data(staff, account_url(account), is_primary="on"))

    assert field_errors(response)["is_primary"] == ["A terminated account cannot become the primary account."]
    assert snapshot(account) == before


def test_nothing_is_saved_when_a_contact_is_refused(staff):
    response = staff.post(
        "/admin/accounts/contact/add/",
        {
            **form_data(staff, "/admin/accounts/contact/add/"),
            "contact_type": "PERSON",
            "last_name": "Doe",
            "phone": "call me maybe",
        },
    )

    assert "phone" in field_errors(response)
    assert not Contact.objects.exists()
