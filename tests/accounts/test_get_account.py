import uuid

import pytest

pytestmark = pytest.mark.django_db


def test_get_account_returns_the_documented_body(backoffice, contact, make_account, reference_data):
    address = contact.addresses.get()
    account = make_account(
        contact,
        balance="99.99",
        is_primary=True,
        payment_terms=reference_data["net7"],
        billing_address=address,
        credit_limit="99.99",
    )

    response = backoffice.get(f"/backoffice/v2/accounts/{account.id}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": str(account.id),
        "name": f"{account.number} {contact.full_name}",
        "number": account.number,
        "is_primary": True,
        "state": "ACTIVE",
        "currency_code": "EUR",
        "balance": 99.99,
        "overdue_amount": 0.0,
        "credit_limit": 99.99,
        "payment_terms": {"id": str(reference_data["net7"].id), "name": "Net 7"},
        "classification": {"id": str(reference_data["purchase"].id), "name": "Delivery Purchase"},
        "billing_address": {
            "id": str(address.id),
            "address_line_1": "2265 Oak Street",
            "address_line_2": "",
            "state_province_county": "New York",
            "town_city": "Old Forge",
            "postal_code": "13420",
            "country_code": "CYP",
        },
    }


def test_number_is_assigned_in_the_documented_style(contact, make_account):
    first, second = make_account(contact), make_account(contact, currency_code="USD")
    assert first.number.startswith("AC") and len(first.number) == 10
    assert int(second.number[2:]) == int(first.number[2:]) + 1


@pytest.mark.parametrize("identifier", [uuid.uuid4(), "not-a-uuid"])
def test_unknown_account_is_a_v2_not_found(backoffice, identifier):
    response = backoffice.get(f"/backoffice/v2/accounts/{identifier}")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "message": f"No account matches {identifier}.",
        "error": "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION",
        "parameters": ["account", str(identifier)],
    }
