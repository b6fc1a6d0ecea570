"""POST communications/update: drafts only; absent fields stay, null fields empty; parameter actions as in the seed."""

import pytest

from communications import services
from communications.models import Communication, UnrestrictedParameter

pytestmark = pytest.mark.django_db

TEMPLATE_AND_LEAD = """{
"token":"{{token}}",
"communication_identifier":{"number":"290"},
"template_identifier":{"name":"Subscription Information"},
"content":"Dear #contact_information.first_name we would like to inform you that the subscription #subscription.number is #subscription.life_cycle_state subscription",
"referring_to" : { "lead_identifier" : {"number" : "60"} }
}"""  # noqa: E501

PARAMETER_ACTIONS = """{
"token":"{{token}}",
"life_cycle_state":"DRAFT",
"communication_identifier":{"number":"CM001642"},
"subject":"We would like to #unrestricted_string.test remind you that #unrestricted_string.test_string #unrestricted_string.name left the building.#unrestricted_float.float #unrestricted_string.update",
"unrestricted_parameter_set":
[
{
"action":"add",
"type":"STRING",
"string_value":"test",
"name":"test_string"
},
{
"action":"update",
"unrestricted_parameter_identifier":{"name":"test"},
"string_value":"update",
"name":"update"
},
{
"action":"remove",
"unrestricted_parameter_identifier":{"key":"unrestricted_float.float "}
}
]
}"""  # noqa: E501

UNBOUND_CONTENT = (
    "We would like to remind you that #unrestricted_string.name left the building. STRING: "
    "#unrestricted_string.test Please pay by 23-January to avoid disconnections. DATE: #unrestricted_date.date "
    "FLOAT: #unrestricted_float.float #unrestricted_float.newfl "
)
UNBOUND_PARAMETERS = [
    {"type": "STRING", "string_value": "Marios", "name": "name"},
    {"type": "STRING", "string_value": "test2", "name": "test"},
    {"type": "FLOAT", "float_value": "10", "name": "float"},
    {"type": "DATE", "date_value": "2014-05-05T15:49:59", "name": "date"},
]


def test_seed_example_fills_from_the_template_and_keeps_earlier_references(
    crm, make_contact, seed_names, seed_subscription, seed_lead
):
    paulos = make_contact(first_name="Paulos", last_name="Paulou", email="paulos@crm.com")
    seed_subscription(paulos, "S60052")
    seed_lead(paulos)
    # The draft was written about the subscription; the update adds the lead.
    services.create_communication(
        is_test=False,
        contact=paulos,
        number="290",
        state="DRAFT",
        direction="OUTGOING",
        media="EMAIL",
        to="paulos@crm.com",
        subject="Draft",
        content="Draft",
        referring_to={"subscription_identifier": {"number": "S60052"}},
    )

    response = crm.post("communications/update", TEMPLATE_AND_LEAD)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["subject"] == " Information for subscription S60052"
    assert data["content"] == (
        "Dear Paulos we would like to inform you that the subscription S60052 is CANCELLED subscription"
    )
    assert data["referring_to"]["lead"] == {
        "life_cycle_state": "PENDING",
        "number": "60",
        "id": "84E75C50C44E67F8E545458179646CBB",
        "description": None,
        "contact_information": data["contact_information"],
    }
    subscription = data["referring_to"]["subscription"]
    assert (subscription["number"], subscription["life_cycle_state"]) == ("S60052", "CANCELLED")
    assert subscription["type"] == {
        "name": "Normal Subscription",
        "id": "6BB2B984CC9309775D06650C7493A836",
        "description": None,
        "alternative_code": "ST",
    }
    assert subscription["accounts_receivable"]["number"] == "74"
    assert subscription["accounts_receivable"]["account_owner"] == data["contact_information"]
    assert data["life_cycle_state"] == "DRAFT"
    assert data["to"] == "paulos@crm.com"


def test_seed_example_adds_updates_and_removes_parameters(crm, darko):
    services.create_communication(
        is_test=False,
        contact=darko,
        number="CM001642",
        state="DRAFT",
        direction="OUTGOING",
        media="EMAIL",
        to="m_michael@crm.com",
        subject="Unbound Test",
        content=UNBOUND_CONTENT,
        parameters=UNBOUND_PARAMETERS,
    )

    response = crm.post("communications/update", PARAMETER_ACTIONS)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["subject"] == (
        "We would like to #unrestricted_string.test remind you that test Marios left the building."
        "#unrestricted_float.float update"
    )
    assert data["content"] == (
        "We would like to remind you that Marios left the building. STRING: test2 Please pay by 23-January to "
        "avoid disconnections. DATE: Mon May 05 15:49:59 EEST 2014 FLOAT: 10 #unrestricted_float.newfl "
    )
    values = {p["key"]: p["string_value"] or p["date_value"] for p in data["unrestricted_parameter_set"]}
    assert values == {
        "unrestricted_string.test_string": "test",
        "unrestricted_string.name": "Marios",
        "unrestricted_string.update": "update",
        "unrestricted_date.date": "Mon May 05 15:49:59 EEST 2014",
    }


def test_fields_not_given_stay_and_fields_given_as_null_are_emptied(crm, make_communication, seed_names):
    communication = make_communication(notes="call back", category=seed_names["category"], udf_string_1="gold")

    response = crm.post(
        "communications/update",
        {
            "communication_identifier": {"id": communication.id.hex.upper()},
            "notes": None,
            "category_identifier": None,
            "udf_float_1": 3,
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["notes"], data["category"], data["udf_float_1"]) == (None, None, 3.0)
    assert (data["subject"], data["content"], data["udf_string_1"]) == ("Hello", "Dear customer", "gold")


def test_completing_through_update_sends_the_email(
    crm, make_communication, smtp_server, django_capture_on_commit_callbacks
):
    communication = make_communication()
    with django_capture_on_commit_callbacks(execute=True):
        response = crm.post(
            "communications/update",
            {"communication_identifier": {"number": communication.number}, "life_cycle_state": "COMPLETED"},
        )

    assert response.status_code == 200
    assert response.json()["data"]["life_cycle_state"] == "COMPLETED"
    assert len(smtp_server.received) == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"subject": "Changed"}, 400, "INVALID_STATE_TRANSITION"),  # the communication is COMPLETED
    ],
)
def test_only_drafts_can_be_updated(crm, make_communication, body, status, code):
    communication = make_communication(state="COMPLETED", media="PHONE")

    response = crm.post("communications/update", {"communication_identifier": {"number": communication.number}, **body})

    assert response.status_code == status
    assert response.json()["status"]["code"] == code
    assert "only DRAFT communications can be updated" in response.json()["status"]["message"]
    communication.refresh_from_db()
    assert communication.subject == "Hello"


@pytest.mark.parametrize(
    ("body", "code", "text"),
    [
        ({"communication_identifier": {"number": "CM999999"}}, "NOT_FOUND", "No communication matches number"),
        ({"communication_identifier": {"number": "X", "id": "Y"}}, "INVALID_VALUE", "takes exactly one of"),
        ({"media": None}, "INVALID_VALUE", "media cannot be emptied"),
        ({"to": None}, "MISSING_PARAMETER", "to is required when the media is EMAIL"),
        (
            {"unrestricted_parameter_set": [{"action": "remove", "unrestricted_parameter_identifier": {"name": "x"}}]},
            "NOT_FOUND",
            "unrestricted parameter",
        ),
        ({"unrestricted_parameter_set": [{"action": "rename"}]}, "INVALID_VALUE", "action accepts"),
        (
            {"unrestricted_parameter_set": [{"type": "STRING", "name": "name", "string_value": "again"}]},
            "INVALID_VALUE",
            "exists already",
        ),
    ],
)
def test_bad_updates_change_nothing(crm, make_communication, body, code, text):
    communication = make_communication(parameters=[{"type": "STRING", "name": "name", "string_value": "Marios"}])
    request = {"communication_identifier": {"number": communication.number}, "subject": "Changed", **body}

    response = crm.post("communications/update", request)

    assert response.status_code in (400, 404)
    assert response.json()["status"]["code"] == code
    assert text in response.json()["status"]["message"]
    unchanged = Communication.objects.get(pk=communication.pk)
    assert (unchanged.subject, unchanged.media, unchanged.to_address) == ("Hello", "EMAIL", communication.to_address)
    assert list(UnrestrictedParameter.objects.values_list("name", "string_value")) == [("name", "Marios")]
