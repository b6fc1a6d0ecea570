"""POST communications/create answers from the communication in hand, by the same plain code as
communications/show (which reads it back from the database): a new communication, with every part of it
filled, reads the same in the create's answer and in a show, byte for byte and in the same key order."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import Address
from tests.clients import CrmClient

pytestmark = pytest.mark.django_db


def created_and_shown(client, body: dict) -> tuple[str, str]:
    created = client.post("communications/create", body)
    assert created.status_code == 200, created.content
    data = created.json()["data"]
    shown = client.get("communications/show", communication_identifier=f"id={data['id']}")
    assert shown.status_code == 200, shown.content
    return json.dumps(data), json.dumps(shown.json()["data"])


def every_part(contact, seed_names, earlier) -> dict:
    return {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Call about #unrestricted_string.plan",
        "content": "Asked about the bill of #contact_information.first_name.",
        "notes": "Called back",
        "to": "+35799000000",
        "category_identifier": {"id": seed_names["category"].id.hex.upper()},
        "owned_by_group_identifier": {"code": seed_names["group"].code},
        "privacy_level_identifier": {"name": seed_names["privacy"].name},
        "communication_queue_external_system_identifier": {"id": seed_names["conax"].id.hex.upper()},
        "referring_to": {"communication_identifier": {"number": earlier.number}},
        "unrestricted_parameter_set": [
            {"type": "STRING", "name": "plan", "string_value": "Gold"},
            {"type": "FLOAT", "name": "balance", "float_value": 10.5},
            {"type": "INTEGER", "name": "months", "integer_value": 12},
            {"type": "DATE", "name": "due", "date_value": "2014-05-05T15:49:59"},
        ],
        "udf_string_1": "Gold",
        "udf_float_2": 0.1,
        "udf_date_3": "2016-01-01T12:00:00",
    }


@pytest.fixture
def customer(make_contact, make_account):
    contact = make_contact(title="Mr", middle_name="Q", gender="MALE", id_number="790101-1234")
    Address.objects.create(contact=contact, address_line_1="1 Main Street", country_code="CYP")
    make_account(contact)
    return contact


def test_every_part_of_a_new_communication_reads_the_same_created_and_shown(
    crm, customer, seed_names, make_communication
):
    earlier = make_communication(contact=customer, subject="An earlier one")

    created, shown = created_and_shown(crm, every_part(customer, seed_names, earlier))

    assert created == shown
    data = json.loads(created)
    assert data["subject"] == "Call about Gold"
    assert data["log_information"]["created_by_user"]["username"].startswith("api-key:")
    assert data["contact_information"]["life_cycle_state"] == "FINANCIAL"
    assert data["referring_to"]["communication"]["number"] == earlier.number
    assert [parameter["key"] for parameter in data["unrestricted_parameter_set"]] == [
        "unrestricted_string.plan",
        "unrestricted_float.balance",
        "unrestricted_integer.months",
        "unrestricted_date.due",
    ]


def test_a_communication_a_staff_user_creates_reads_the_same_created_and_shown(
    django_user_model, customer, seed_names, make_communication
):
    django_user_model.objects.create_user("clerk", password="s3cret-pass", first_name="Kathy", email="k@example.com")
    login = APIClient().post("/crmapi/rest/v2/authentication/login", {"username": "clerk", "password": "s3cret-pass"})
    earlier = make_communication(contact=customer, subject="An earlier one")

    created, shown = created_and_shown(
        CrmClient(login.json()["data"]["token"]), every_part(customer, seed_names, earlier)
    )

    assert created == shown
    assert json.loads(created)["log_information"]["updated_by_user"]["username"] == "clerk"


def test_a_bare_communication_of_a_company_in_test_mode_reads_the_same(crm_test_mode, make_contact):
    company = make_contact(is_test=True, contact_type="COMPANY", company_name="Acme Ltd", first_name="")
    body = {
        "contact_information_identifier": {"id": company.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "PHONE",
        "subject": "Call",
        "content": "Left a message.",
        "life_cycle_state": "DRAFT",
    }

    created, shown = created_and_shown(crm_test_mode, body)

    assert created == shown
    assert json.loads(created)["contact_information"]["life_cycle_state"] == "MARKETING"


def test_a_notice_about_a_subscription_reads_the_same_created_and_shown(crm, customer, seed_subscription):
    seed_subscription(customer, "S60302")
    body = {
        "contact_information_identifier": {"id": customer.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "PHONE",
        "subject": "About #subscription.number",
        "content": "Your #subscription.type.name subscription is overdue.",
        "referring_to": {"subscription_identifier": {"number": "S60302"}},
    }

    # The create answers with the records its placeholders read; the show reads them again.
    created, shown = created_and_shown(crm, body)

    assert created == shown
    data = json.loads(created)
    assert data["content"] == "Your London subscription is overdue."
    subscription = data["referring_to"]["subscription"]
    assert subscription["number"] == "S60302" and subscription["type"]["name"] == "London"
    assert subscription["accounts_receivable"]["account_owner"]["id"] == customer.id.hex.upper()
