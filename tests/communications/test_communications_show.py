"""GET communications/show: one communication by id, number or code, in the seed's shape."""

import pytest
import time_machine
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def communication(make_communication, seed_names, make_account, contact):
    account = make_account(contact, balance="510.41")
    with time_machine.travel("2015-02-19T07:48:00Z", tick=False):
        return make_communication(
            category=seed_names["category"],
            owned_by_group=seed_names["group"],
            content="Account Balance: #accounts_receivable.balance for #accounts_receivable.name",
            referring_to={
                "accounts_receivable_identifier": {"number": account.number},
                "payment_gateway_card_identifier": {"id": "D7F36E20368C4CBB8A93C85B18755880"},
            },
        )


@pytest.mark.parametrize("field", ["id", "number", "code"])
def test_a_communication_is_found_by_each_identifier_field(crm, communication, field):
    value = communication.id.hex.upper() if field == "id" else getattr(communication, field)

    response = crm.get("communications/show", communication_identifier=f"{field}={value}")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["number"] == communication.number


def test_the_body_has_the_documented_shape(crm, communication, contact, seed_names):
    response = crm.get("communications/show", communication_identifier=f"number={communication.number}")

    body = response.json()
    assert body["status"] == {"code": "OK", "message": "", "description": ""}
    data = body["data"]
    expected_keys = {
        "unrestricted_parameter_set", "notes", "number", "follow_up_set", "communication_queue_external_system",
        "privacy_level", "contact_information", "id", "media", "referring_to", "subject", "code", "log_information",
        "owned_by_group", "life_cycle_state", "content", "to", "category", "direction", "viewed", "viewed_on", "from",
        *(f"udf_string_{n}" for n in range(1, 9)), *(f"udf_float_{n}" for n in range(1, 5)),
        *(f"udf_date_{n}" for n in range(1, 5)),
    }  # fmt: skip
    assert set(data) == expected_keys
    account = contact.accounts.get()
    assert data["content"] == f"Account Balance: 510.41 for {account.name}"
    assert data["referring_to"]["accounts_receivable"] == {
        "account_owner": data["contact_information"],
        "life_cycle_state": "ACTIVE",
        "number": account.number,
        "name": account.name,
        "id": account.id.hex.upper(),
    }
    assert data["referring_to"]["payment_gateway_card"] == {"id": "D7F36E20368C4CBB8A93C85B18755880"}
    assert data["contact_information"] == {
        "last_name": contact.last_name,
        "middle_name": None,
        "life_cycle_state": "FINANCIAL",
        "company_profile": None,
        "title": None,
        "first_name": "John",
        "type": "PERSON",
        "id": contact.id.hex.upper(),
        "name": contact.full_name,
        "company_name": None,
        "demographics": {
            "gender": None,
            "passport_issued_by_country": None,
            "social_security_number": None,
            "passport_number": None,
            "industry_sector": None,
            "country_of_residence": {
                "three_character_code": "CYP",
                "two_character_code": "CY",
                "id": "196",
                "name": "CYPRUS",
                "alternative_code": None,
            },
            "name_day": {"month": None, "day": None},
            "date_of_birth": {"month": None, "day": None, "year": None},
            "id_number": None,
            "industry": None,
            "id_issued_by_country": None,
        },
    }
    assert data["owned_by_group"] == {
        "community_name": None,
        "id": seed_names["group"].id.hex.upper(),
        "name": "Main Group",
        "description": "Main Group",
        "alternative_code": "MG1",
    }
    log = data["log_information"]
    assert log["created_date"] == "2015-02-19T09:48:00"  # the family's wall clock (Europe/Nicosia)
    assert log["created_by_unit"] is None
    assert (data["viewed"], data["viewed_on"], data["life_cycle_state"]) == (0, None, "DRAFT")


def test_fields_set_narrows_the_body(crm, communication):
    response = crm.get(
        "communications/show", communication_identifier=f"number={communication.number}", fields_set="number,subject"
    )

    assert response.json()["data"] == {"number": communication.number, "subject": "Hello"}


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "MISSING_PARAMETER"),
        ({"communication_identifier": "number=CM404404"}, 404, "NOT_FOUND"),
        ({"communication_identifier": "id=not-a-uuid"}, 404, "NOT_FOUND"),
        ({"communication_identifier": "CM000001"}, 400, "INVALID_VALUE"),
        ({"communication_identifier": "colour=blue"}, 400, "INVALID_VALUE"),
    ],
)
def test_errors_use_the_envelope(crm, communication, params, status, code):
    response = crm.get("communications/show", **params)

    assert response.status_code == status
    assert response.json()["status"]["code"] == code
    assert response.json()["data"] is None


def test_a_test_mode_key_does_not_see_live_communications(crm_test_mode, communication):
    response = crm_test_mode.get("communications/show", communication_identifier=f"number={communication.number}")

    assert response.status_code == 404


def test_a_login_token_works_as_the_token(communication, django_user_model):
    django_user_model.objects.create_user("clerk", password="s3cret-pass")
    client = APIClient()
    login = client.post("/crmapi/rest/v2/authentication/login", {"username": "clerk", "password": "s3cret-pass"})
    token = login.json()["data"]["token"]

    response = client.get(
        "/crmapi/rest/v2/communications/show",
        {"token": token, "communication_identifier": f"number={communication.number}"},
    )

    assert response.status_code == 200


def test_a_key_without_the_communications_scope_is_forbidden(crm_as, communication):
    client = crm_as("backoffice.read")

    response = client.get("communications/show", communication_identifier=f"number={communication.number}")

    assert response.status_code == 403
    assert response.json()["status"]["code"] == "PERMISSION_DENIED"
