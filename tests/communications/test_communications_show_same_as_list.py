"""GET communications/show builds its answer by plain code, communications/list with the serializers: one
communication, with every part of it filled, reads the same in both, byte for byte and in the same key order."""

import json
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User

from accounts.models import Address, ApiKey
from communications.models import Communication

pytestmark = pytest.mark.django_db


def shown_alone_and_listed(client, communication, contact) -> tuple[str, str]:
    show = client.get("communications/show", communication_identifier=f"code={communication.code}")
    listed = client.get("communications/list", contact_information_identifier=f"id={contact.id.hex.upper()}")
    assert (show.status_code, listed.status_code) == (200, 200), (show.content, listed.content)
    [entry] = [item for item in listed.json()["data"] if item["number"] == communication.number]
    return json.dumps(show.json()["data"]), json.dumps(entry)


def test_every_part_of_a_communication_reads_the_same_shown_and_listed(
    crm, api_key, make_contact, make_account, make_communication, seed_names
):
    contact = make_contact(
        title="Mr", middle_name="Q", date_of_birth=date(1980, 2, 29), gender="MALE", id_number="790101-1234"
    )
    Address.objects.create(contact=contact, address_line_1="1 Main Street", country_code="CYP")
    account = make_account(contact)
    earlier = make_communication(contact=contact, subject="An earlier one")
    communication = make_communication(
        contact=contact,
        category=seed_names["category"],
        owned_by_group=seed_names["group"],
        privacy_level=seed_names["privacy"],
        queue_external_system=seed_names["conax"],
        notes="Called back",
        referring_to={
            "accounts_receivable_identifier": {"number": account.number},
            "communication_identifier": {"id": earlier.id.hex},
            "payment_gateway_card_identifier": {"id": "D7F36E20368C4CBB8A93C85B18755880"},
        },
        parameters=[
            {"type": "STRING", "name": "plan", "string_value": "Gold"},
            {"type": "FLOAT", "name": "balance", "float_value": 10.5},
            {"type": "INTEGER", "name": "months", "integer_value": 12},
            {"type": "DATE", "name": "due", "date_value": "2014-05-05T15:49:59"},
        ],
    )
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark", email="kathy@example.com")
    Communication.objects.filter(pk=communication.pk).update(
        from_address="care@example.com",
        viewed_on=datetime(2015, 2, 19, 7, 48, tzinfo=UTC),
        udf_string_1="Gold",
        udf_float_2=0.1,
        udf_date_3=datetime(2016, 1, 1, 12, 0, tzinfo=UTC),
        created_by_user=clerk,
        updated_by_key=ApiKey.objects.first(),
    )

    shown, listed = shown_alone_and_listed(crm, communication, contact)

    assert shown == listed
    data = json.loads(shown)
    assert data["log_information"]["created_by_user"]["username"] == "clerk"
    assert data["log_information"]["updated_by_user"]["username"].startswith("api-key:")
    assert [parameter["key"] for parameter in data["unrestricted_parameter_set"]] == [
        "unrestricted_string.plan",
        "unrestricted_float.balance",
        "unrestricted_integer.months",
        "unrestricted_date.due",
    ]
    assert data["referring_to"]["communication"]["number"] == earlier.number
    assert data["contact_information"]["demographics"]["country_of_residence"]["three_character_code"] == "CYP"


def test_a_bare_communication_of_a_company_in_test_mode_reads_the_same(crm_test_mode, make_contact, make_communication):
    company = make_contact(is_test=True, contact_type="COMPANY", company_name="Acme Ltd", first_name="")
    communication = make_communication(is_test=True, contact=company, media="PHONE", to="")
    Communication.objects.filter(pk=communication.pk).update(subject="", content="")

    shown, listed = shown_alone_and_listed(crm_test_mode, communication, company)

    assert shown == listed
    data = json.loads(shown)
    assert data["contact_information"]["name"] == "Acme Ltd"
    assert (data["subject"], data["to"], data["owned_by_group"], data["unrestricted_parameter_set"]) == (
        None,
        None,
        None,
        [],
    )


def test_a_live_key_does_not_see_a_test_communication(crm, make_contact, make_communication):
    communication = make_communication(is_test=True, contact=make_contact(is_test=True))

    response = crm.get("communications/show", communication_identifier=f"number={communication.number}")

    assert response.status_code == 404
    assert response.json()["data"] is None
