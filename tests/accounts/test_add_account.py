import uuid

import pytest

from accounts.models import Account

pytestmark = pytest.mark.django_db


def post(client, contact, body):
    return client.post(f"/backoffice/v2/contacts/{contact.id}/accounts", body, format="json")


def test_seed_example_creates_a_primary_account(backoffice, contact, make_account, reference_data):
    old_primary = make_account(contact, is_primary=True, currency_code="USD")
    address = contact.addresses.get()

    response = post(
        backoffice,
        contact,
        {
            "is_primary": True,
            "currency_code": "EUR",
            "name": "John Smith Main account",
            "classification_id": str(reference_data["business"].id),
            "billing_address_id": str(address.id),
        },
    )

    assert response.status_code == 201
    account = Account.objects.get(pk=response.json()["id"])
    assert response.json() == {"id": str(account.id)}
    assert (account.name, account.currency_code, account.is_primary) == ("John Smith Main account", "EUR", True)
    assert account.classification == reference_data["business"]
    assert account.billing_address == address
    old_primary.refresh_from_db()
    assert not old_primary.is_primary


def test_defaults_number_name_and_classification(backoffice, contact, reference_data):
    response = post(backoffice, contact, {"currency_code": "eur"})

    assert response.status_code == 201
    account = Account.objects.get(pk=response.json()["id"])
    assert account.number.startswith("AC")
    assert account.name == f"{account.number} {contact.full_name}"
    assert account.currency_code == "EUR"
    assert account.classification == reference_data["purchase"]
    assert account.state == "ACTIVE"
    assert not account.is_primary


@pytest.mark.parametrize("currency", ["EUX", "12", "EURO", ""])
def test_currency_must_be_iso_4217(backoffice, contact, currency):
    response = post(backoffice, contact, {"currency_code": currency})

    assert response.status_code == 400
    assert response.json()["parameters"][0] == "currency_code"
    assert not Account.objects.exists()


def test_currency_is_required(backoffice, contact):
    response = post(backoffice, contact, {"name": "No currency"})

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION"
    assert response.json()["parameters"][0] == "currency_code"


def test_billing_address_must_belong_to_the_contact(backoffice, contact, make_contact):
    foreign = make_contact().addresses.get()

    response = post(backoffice, contact, {"currency_code": "EUR", "billing_address_id": str(foreign.id)})

    assert response.status_code == 404
    assert response.json()["parameters"] == ["address", str(foreign.id)]
    assert not Account.objects.exists()


def test_unknown_contact(backoffice):
    missing = uuid.uuid4()
    response = backoffice.post(f"/backoffice/v2/contacts/{missing}/accounts", {"currency_code": "EUR"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"] == "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION"


def test_malformed_json_is_a_400_in_the_v2_body(backoffice, contact):
    response = backoffice.post(
        f"/backoffice/v2/contacts/{contact.id}/accounts", '{"currency_code": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDREQUESTEXCEPTION"
    assert not Account.objects.exists()


def test_form_encoded_body_is_accepted(backoffice, contact):
    response = backoffice.post(
        f"/backoffice/v2/contacts/{contact.id}/accounts",
        "currency_code=EUR&name=Form+account",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201
    assert Account.objects.get().name == "Form account"


def test_unsupported_media_type(backoffice, contact):
    response = backoffice.post(
        f"/backoffice/v2/contacts/{contact.id}/accounts", "<xml/>", content_type="application/xml"
    )
    assert response.status_code == 415
    assert response.json()["error"] == "CRM.EXCEPTIONS.UNSUPPORTEDMEDIATYPEEXCEPTION"
