"""POST communications/create: the seed's examples as integrators copy them, the rules, and the errors."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from communications.models import Communication, OutboundMessage, QueueEntry, UnrestrictedParameter

pytestmark = pytest.mark.django_db

SUBSCRIPTION_NOTICE = """{
"token":"{{token}}",
"contact_information_identifier":{"id":"31260911295E70BB660EBEB0C4F941AC"},
"direction":"OUTGOING",
"media":"EMAIL",
"subject":"Subscription Notice",
"to":"mariosmichael88@gmail.com",
"content":"We would like to remind you that your Subscription #subscription.number is overdue. Please pay by 23-January to avoid disconnections.",
"referring_to":
{
"subscription_identifier":{"number":"S60302"},
}
}"""  # noqa: E501

UNBOUND_TEST = """{
"token":"{{token}}",
"contact_information_identifier":{"id":"531C8308457947EFAFA91776AA4F4B4E"},
"direction":"OUTGOING",
"media":"EMAIL",
"subject":"Unbound Test",
"to":"m_michael@crm.com",
"life_cycle_state":"DRAFT",
"content":"We would like to remind you that #unrestricted_string.name left the building. STRING: #unrestricted_string.test Please pay by 23-January to avoid disconnections. DATE: #unrestricted_date.date FLOAT: #unrestricted_float.float #unrestricted_float.newfl ",
"unrestricted_parameter_set":
[
{
"type":"STRING",
"string_value":"Marios",
"name":"name"
},
{
"type":"STRING",
"string_value":"test2",
"name":"test"
},
{
"type":"FLOAT",
"float_value":"10",
"name":"float"
},
{
"type":"DATE",
"date_value":"2014-05-05T15:49:59",
"name":"date"
}
]
}"""  # noqa: E501


@pytest.fixture
def kyriacos(make_contact):
    return make_contact(
        id=uuid.UUID("31260911295E70BB660EBEB0C4F941AC"),
        first_name="Kyriacos",
        middle_name="Iatrou",
        last_name="Xenofontos",
        title="Mr",
        gender="MALE",
        id_number="87878000",
        addresses=[{"address_line_1": "1 Baker Street", "town_city": "London", "country_code": "GBR"}],
    )


def test_seed_example_renders_the_subscription_and_sends_the_email(
    crm, kyriacos, seed_subscription, smtp_server, django_capture_on_commit_callbacks
):
    seed_subscription(kyriacos, "S60302")
    with django_capture_on_commit_callbacks(execute=True):
        response = crm.post("communications/create", SUBSCRIPTION_NOTICE)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == {"code": "OK", "message": "", "description": ""}
    data = body["data"]
    assert data["content"] == (
        "We would like to remind you that your Subscription S60302 is overdue. "
        "Please pay by 23-January to avoid disconnections."
    )
    assert data["subject"] == "Subscription Notice"
    assert data["to"] == "mariosmichael88@gmail.com"
    assert data["from"] == "correspondence@example.com"
    assert (data["life_cycle_state"], data["direction"], data["media"]) == ("COMPLETED", "OUTGOING", "EMAIL")
    assert data["number"].startswith("CM") and len(data["number"]) == 8
    assert len(data["id"]) == 32 and data["id"] == data["id"].upper()
    assert data["referring_to"]["subscription"] == {
        "accounts_receivable": {
            "account_owner": data["contact_information"],
            "life_cycle_state": "ACTIVE",
            "number": "195",
            "name": "Xenofontos",
            "id": data["referring_to"]["subscription"]["accounts_receivable"]["id"],
        },
        "life_cycle_state": "EFFECTIVE",
        "number": "S60302",
        "type": {
            "name": "London",
            "id": "3100B0D56E7C7EADF073C34BCE1E42AF",
            "description": "For Subscribers residing in London\n",
            "alternative_code": "LND",
        },
        "id": "9C684858373B49FF97668E4FD9281357",
    }
    assert data["referring_to"]["lead"] is None
    assert data["contact_information"]["id"] == "31260911295E70BB660EBEB0C4F941AC"
    assert data["contact_information"]["first_name"] == "Kyriacos"
    assert data["contact_information"]["demographics"]["country_of_residence"]["name"] == "UNITED KINGDOM"
    assert data["category"] is None and data["follow_up_set"] == []

    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["mariosmichael88@gmail.com"]
    assert mail.message["Subject"] == "Subscription Notice"
    assert "your Subscription S60302 is overdue" in mail.message.get_content()
    communication = Communication.objects.get()
    assert communication.sending_status == "SENT"
    assert OutboundMessage.objects.get().source_id == str(communication.id)


def test_seed_example_with_unrestricted_parameters_renders_exactly(crm, darko, smtp_server):
    text = UNBOUND_TEST.replace("531C8308457947EFAFA91776AA4F4B4E", darko.id.hex.upper())

    response = crm.post("communications/create", text)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["content"] == (
        "We would like to remind you that Marios left the building. STRING: test2 Please pay by 23-January to "
        "avoid disconnections. DATE: Mon May 05 15:49:59 EEST 2014 FLOAT: 10 #unrestricted_float.newfl "
    )
    assert data["life_cycle_state"] == "DRAFT"
    parameters = {p["key"]: p for p in data["unrestricted_parameter_set"]}
    assert set(parameters) == {
        "unrestricted_string.name",
        "unrestricted_string.test",
        "unrestricted_float.float",
        "unrestricted_date.date",
    }
    assert parameters["unrestricted_float.float"] | {"id": None} == {
        "integer_value": None,
        "date_value": None,
        "string_value": None,
        "type": "FLOAT",
        "id": None,
        "name": "float",
        "float_value": 10,
        "key": "unrestricted_float.float",
    }
    assert parameters["unrestricted_date.date"]["date_value"] == "Mon May 05 15:49:59 EEST 2014"
    assert parameters["unrestricted_string.name"]["string_value"] == "Marios"
    assert smtp_server.received == []  # a draft is not sent


def test_fields_set_returns_only_the_named_top_level_fields(crm, darko, seed_subscription):
    seed_subscription(darko, "S60105")
    body = {
        "contact_information_identifier": {"id": darko.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "PHONE",
        "subject": "Subscription Notice",
        "content": "Your Subscription #subscription.number is overdue.",
        "referring_to": {"subscription_identifier": {"number": "S60105"}},
        "fields_set": "contact_information,media,subject,subscription",
    }

    response = crm.post("communications/create", body)

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"contact_information", "media", "subject"}
    assert data["contact_information"]["last_name"] == "Mika"


def test_a_template_fills_direction_media_subject_and_content(crm, darko, seed_names, seed_subscription):
    seed_subscription(darko, "S60052")
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": darko.id.hex.upper()},
            "template_identifier": {"name": "Subscription Information"},
            "to": "m_michael@crm.com",
            "life_cycle_state": "DRAFT",
            "referring_to": {"subscription_identifier": {"number": "S60052"}},
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["direction"], data["media"]) == ("OUTGOING", "EMAIL")
    assert data["subject"] == " Information for subscription S60052"
    assert data["content"] == "Dear Darko, about subscription S60052."


def test_reference_data_and_udfs_are_stored(crm, darko, seed_names):
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": darko.id.hex},  # lowercase hex is accepted too
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Called about the bill",
            "content": "Explained the tariff.",
            "notes": "Customer was happy",
            "category_identifier": {"code": "cci"},
            "owned_by_group_identifier": {"alternative_code": "MG1"},
            "privacy_level_identifier": {"name": "Internal"},
            "udf_string_1": "gold",
            "udf_float_2": 12.5,
            "udf_date_3": "2024-02-01T10:00:00",
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["category"] == {
        "id": seed_names["category"].id.hex.upper(),
        "name": "Customer Care Information",
        "description": "Customer Care Information",
        "code": "cci",
    }
    assert data["owned_by_group"]["name"] == "Main Group"
    assert data["owned_by_group"]["alternative_code"] == "MG1"
    assert data["privacy_level"]["name"] == "Internal"
    assert (data["udf_string_1"], data["udf_float_2"], data["udf_date_3"]) == ("gold", 12.5, "2024-02-01T10:00:00")
    assert data["notes"] == "Customer was happy"
    assert data["log_information"]["created_by_user"]["person_name"] == "test key"


def test_completing_with_a_queue_external_system_queues_it_instead_of_sending(crm, darko, seed_names, smtp_server):
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": darko.id.hex.upper()},
            "direction": "OUTGOING",
            "media": "EMAIL",
            "to": "m_michael@crm.com",
            "subject": "Mail for the set-top box",
            "content": "Hello",
            "communication_queue_external_system_identifier": {"name": "CONAX Mail message"},
        },
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["communication_queue_external_system"]["alternative_code"] == "CW5 MAIL"
    entry = QueueEntry.objects.get()
    assert (entry.state, entry.external_system, entry.communication.number) == (
        "PENDING",
        seed_names["conax"],
        data["number"],
    )
    assert OutboundMessage.objects.count() == 0


def test_an_outgoing_sms_goes_to_the_contacts_phone(crm, make_contact, django_capture_on_commit_callbacks):
    customer = make_contact(phone="+35799123456")
    with django_capture_on_commit_callbacks(execute=True):
        response = crm.post(
            "communications/create",
            {
                "contact_information_identifier": {"id": customer.id.hex.upper()},
                "direction": "OUTGOING",
                "media": "SMS",
                "subject": "Code",
                "content": "Your code is 1234",
            },
        )

    assert response.status_code == 200
    message = OutboundMessage.objects.get()
    assert (message.channel, message.recipients, message.status) == ("SMS", ["+35799123456"], "SENT")


def test_test_mode_keys_create_test_records_delivered_to_the_sink(
    crm_test_mode, make_contact, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOUND_TEST_EMAIL_RECIPIENT = "sink@test.example"
    customer = make_contact(is_test=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = crm_test_mode.post(
            "communications/create",
            {
                "contact_information_identifier": {"id": customer.id.hex.upper()},
                "direction": "OUTGOING",
                "media": "EMAIL",
                "to": "real.person@example.com",
                "subject": "Hi",
                "content": "Hello",
            },
        )

    assert response.status_code == 200
    assert Communication.objects.get().is_test is True
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["sink@test.example"]


def test_a_live_contact_is_invisible_to_a_test_mode_key(crm_test_mode, darko):
    response = crm_test_mode.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": darko.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "x",
            "content": "y",
        },
    )

    assert response.status_code == 404
    assert Communication.objects.count() == 0


def test_the_request_succeeds_while_the_broker_is_down(crm, darko, broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = crm.post(
            "communications/create",
            {
                "contact_information_identifier": {"id": darko.id.hex.upper()},
                "direction": "OUTGOING",
                "media": "EMAIL",
                "to": "m_michael@crm.com",
                "subject": "Hi",
                "content": "Hello",
            },
        )

    assert response.status_code == 200
    assert OutboundMessage.objects.get().status == "QUEUED"


@pytest.mark.parametrize(
    ("change", "status", "code", "message"),
    [
        ({"contact_information_identifier": None}, 400, "MISSING_PARAMETER", "contact_information_identifier"),
        ({"contact_information_identifier": {"id": "00000000000000000000000000000000"}}, 404, "NOT_FOUND", None),
        ({"contact_information_identifier": {"colour": "red"}}, 400, "INVALID_VALUE", "accepts id, code"),
        ({"direction": None}, 400, "MISSING_PARAMETER", "direction is required unless a template gives it."),
        ({"to": None}, 400, "MISSING_PARAMETER", "to is required when the media is EMAIL."),
        ({"to": "not an address"}, 400, "INVALID_VALUE", "'not an address' in to is not an email address."),
        ({"media": "PIGEON"}, 400, "INVALID_VALUE", "media"),
        ({"template_identifier": {"name": "Nope"}}, 404, "NOT_FOUND", "No template matches name Nope."),
        ({"life_cycle_state": "SENT"}, 400, "INVALID_VALUE", "life_cycle_state"),
        ({"udf_float_1": "many"}, 400, "INVALID_VALUE", "udf_float_1"),
        ({"udf_date_1": "yesterday"}, 400, "INVALID_VALUE", "udf_date_1"),
        ({"referring_to": {"spaceship_identifier": {"number": "1"}}}, 400, "INVALID_VALUE", "does not accept"),
        ({"referring_to": {"accounts_receivable_identifier": {"number": "AC404"}}}, 404, "NOT_FOUND", None),
        ({"unrestricted_parameter_set": [{"type": "COLOUR", "name": "x"}]}, 400, "INVALID_VALUE", "type accepts"),
        (
            {"unrestricted_parameter_set": [{"type": "INTEGER", "name": "n", "integer_value": 10**20}]},
            400,
            "INVALID_VALUE",
            "out of range",
        ),
        (
            {"unrestricted_parameter_set": [{"type": "STRING", "name": "n" * 121, "string_value": "x"}]},
            400,
            "INVALID_VALUE",
            "at most 120",
        ),
        (
            {"unrestricted_parameter_set": [{"type": "STRING", "name": "n", "string_value": "a\x00b"}]},
            400,
            "INVALID_VALUE",
            "NUL",
        ),
        ({"referring_to": {"lead_identifier": {"number": "a\x00b"}}}, 400, "INVALID_VALUE", "Null characters"),
        ({"subject": "s" * 501}, 400, "INVALID_VALUE", "subject"),
        ({"contact_information_identifier": "31260911295E70BB660EBEB0C4F941AC"}, 400, "INVALID_VALUE", "dictionary"),
        (
            {"unrestricted_parameter_set": [{"type": "FLOAT", "name": "x", "float_value": "ten"}]},
            400,
            "INVALID_VALUE",
            None,
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_written(crm, darko, smtp_server, change, status, code, message):
    body = {
        "contact_information_identifier": {"id": darko.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "EMAIL",
        "to": "m_michael@crm.com",
        "subject": "Hi",
        "content": "Hello",
    }
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}

    response = crm.post("communications/create", body)

    assert response.status_code == status, response.content
    error = response.json()
    assert error["status"]["code"] == code
    assert error["data"] is None
    if message:
        assert message in error["status"]["message"]
    assert Communication.objects.count() == 0
    assert UnrestrictedParameter.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_an_unknown_token_is_refused(darko):
    response = APIClient().post("/crmapi/rest/v2/communications/create", {"token": "nope"}, format="json")

    assert response.status_code == 401
    assert response.json()["status"]["code"] == "INVALID_TOKEN"


def test_a_phone_note_takes_the_contact_then_one_statement(crm, make_contact, make_communication):
    customer = make_contact()
    make_communication()  # the series' counter exists, as it does after a database's first communication
    note = {
        "contact_information_identifier": {"id": customer.id.hex.upper()},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Called about the bill",
        "content": "Explained the new tariff.",
    }
    crm.post("communications/create", note)  # the API key is kept from here on

    with CaptureQueriesContext(connection) as statements:
        response = crm.post("communications/create", note)

    assert response.status_code == 200, response.content
    created = Communication.objects.get(number=response.json()["data"]["number"])
    assert created.history.get().history_type == "+" and created.code == str(int(created.number[2:]))
    # The contact; then the number's draw, the communication and its first snapshot in one statement.
    assert len(statements.captured_queries) == 2, [query["sql"][:80] for query in statements.captured_queries]


def test_a_notice_reads_the_subscription_it_names_once_for_its_text_and_its_answer(
    crm, kyriacos, seed_subscription, django_capture_on_commit_callbacks
):
    seed_subscription(kyriacos, "S60302")
    crm.post("communications/create", SUBSCRIPTION_NOTICE)  # the API key is kept from here on

    with CaptureQueriesContext(connection) as statements, django_capture_on_commit_callbacks():
        response = crm.post("communications/create", SUBSCRIPTION_NOTICE)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert "your Subscription S60302 is overdue" in data["content"]
    assert data["referring_to"]["subscription"]["type"]["name"] == "London"
    reads = [query["sql"] for query in statements.captured_queries if 'FROM "accounts_subscription"' in query["sql"]]
    # Its identifier's lookup; then the record with its type and account, for the placeholders and the answer alike.
    assert len(reads) == 2, reads
