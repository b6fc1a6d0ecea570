import uuid

import pytest

from accounts.models import Account

pytestmark = pytest.mark.django_db


def put(client, account, body):
    return client.put(f"/backoffice/v2/accounts/{account.id}", body, format="json")


def test_update_changes_the_given_attributes_and_returns_the_id(
    backoffice, contact, make_account, reference_data, make_contact
):
    account = make_account(contact)
    address = contact.addresses.get()

    response = put(
        backoffice,
        account,
        {
            "is_primary": True,
            "classification_id": str(reference_data["business"].id),
            "billing_address_id": str(address.id),
            "credit_limit": 20.99,
            "payment_terms_id": str(reference_data["net7"].id),
        },
    )

    assert response.status_code == 200
    assert response.json() == {"id": str(account.id)}
    account.refresh_from_db()
    assert account.is_primary
    assert account.classification == reference_data["business"]
    assert account.billing_address == address
    assert str(account.credit_limit) == "20.99"
    assert account.payment_terms == reference_data["net7"]


def test_attributes_not_given_stay(backoffice, contact, make_account, reference_data):
    account = make_account(contact, credit_limit="50.00", payment_terms=reference_data["net7"])

    response = put(backoffice, account, {"credit_limit": 10})

    assert response.status_code == 200
    account.refresh_from_db()
    assert str(account.credit_limit) == "10.00"
    assert account.payment_terms == reference_data["net7"]


def test_marking_primary_unmarks_the_previous_primary(backoffice, contact, make_account):
    old = make_account(contact, is_primary=True)
    new = make_account(contact, currency_code="USD")

    assert put(backoffice, new, {"is_primary": True}).status_code == 200

    assert list(Account.objects.filter(contact=contact, is_primary=True)) == [new]
    old.refresh_from_db()
    assert not old.is_primary


def test_billing_address_of_another_contact_is_refused(backoffice, contact, make_contact, make_account):
    account = make_account(contact)
    foreign_address = make_contact().addresses.get()

    response = put(backoffice, account, {"billing_address_id": str(foreign_address.id)})

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert response.json()["parameters"][0] == "billing_address_id"
    account.refresh_from_db()
    assert account.billing_address is None


def test_empty_body_is_refused(backoffice, contact, make_account):
    response = put(backoffice, make_account(contact), {})
    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"credit_limit": "lots"}, "credit_limit"),
        ({"credit_limit": -5}, "credit_limit"),
        ({"classification_id": "nope"}, "classification_id"),
        ({"is_primary": "perhaps"}, "is_primary"),
    ],
)
def test_wrong_types_are_refused_and_change_nothing(backoffice, contact, make_account, body, parameter):
    account = make_account(contact, credit_limit="50.00")

    response = put(backoffice, account, body)

    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert response.json()["parameters"][0] == parameter
    account.refresh_from_db()
    assert str(account.credit_limit) == "50.00"
    assert not account.is_primary


def test_unknown_classification_is_not_found_and_nothing_changes(backoffice, contact, make_account, reference_data):
    account = make_account(contact, credit_limit="50.00")
    missing = uuid.uuid4()

    response = put(backoffice, account, {"credit_limit": 1, "classification_id": str(missing)})

    assert response.status_code == 404
    assert response.json()["parameters"] == ["classification", str(missing)]
    account.refresh_from_db()
    assert str(account.credit_limit) == "50.00"


def test_making_a_terminated_account_primary_is_refused(backoffice, contact, make_account):
    account = make_account(contact)
    Account.objects.filter(pk=account.pk).update(state="TERMINATED")

    response = put(backoffice, account, {"is_primary": True})

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDSTATETRANSITIONEXCEPTION"
    account.refresh_from_db()
    assert not account.is_primary


def test_the_seed_example_with_a_bare_token_in_authorization(anonymous, contact, make_account, django_user_model):
    from accounts.credentials import issue_jwt

    user = django_user_model.objects.create_user("j_doe@crm.com", password="secret-password")
    token, _ = issue_jwt(user)
    account = make_account(contact)

    response = anonymous.put(
        f"/backoffice/v2/accounts/{account.id}",
        '{"credit_limit": 20.99,}',
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )

    assert response.status_code == 200
    account.refresh_from_db()
    assert str(account.credit_limit) == "20.99"
