"""`referring_to` names the contact's subscriptions, leads and service requests: each is shown in full as seed 003
shows it, its fields render into the text, and an identifier that names none of the contact's is refused with
nothing written."""

import pytest

from communications.models import Communication, OutboundMessage

pytestmark = pytest.mark.django_db


def create(crm, contact, referring_to, **fields):
    body = {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "PHONE",
        "subject": "Call about your service",
        "content": "Noted.",
        "referring_to": referring_to,
        **fields,
    }
    return crm.post("communications/create", body)


@pytest.fixture
def kathy(make_contact):
    return make_contact(first_name="Kathy", last_name="Clark", title="Mrs", email="kathy@example.com")


@pytest.mark.parametrize("identifier", ["number", "id"])
def test_a_subscription_is_shown_with_its_account_and_type(crm, kathy, seed_subscription, identifier):
    subscription = seed_subscription(kathy, "S60302")
    value = subscription.number if identifier == "number" else subscription.id.hex.upper()

    response = create(crm, kathy, {"subscription_identifier": {identifier: value}})

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    account = subscription.account
    assert data["referring_to"]["subscription"] == {
        "accounts_receivable": {
            "account_owner": data["contact_information"],
            "life_cycle_state": "ACTIVE",
            "number": "195",
            "name": "Xenofontos",
            "id": account.id.hex.upper(),
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
    assert Communication.objects.get().referring_to == {"subscription": {"id": str(subscription.id)}}


def test_a_subscription_without_a_type_shows_null(crm, kathy, make_subscription):
    subscription = make_subscription(kathy)

    data = create(crm, kathy, {"subscription_identifier": {"number": subscription.number}}).json()["data"]

    assert data["referring_to"]["subscription"]["type"] is None
    assert data["referring_to"]["subscription"]["life_cycle_state"] == "DRAFT"


def test_a_lead_and_a_service_request_are_shown_with_their_contact(crm, kathy, make_lead, make_service_request):
    lead = make_lead(kathy, number="60", description="Broadband for the office")
    service_request = make_service_request(kathy, number="SRV78001", state="RESPONDED")

    response = create(
        crm,
        kathy,
        {"lead_identifier": {"number": "60"}, "service_request_identifier": {"id": service_request.id.hex}},
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["referring_to"]["lead"] == {
        "life_cycle_state": "PENDING",
        "number": "60",
        "id": lead.id.hex.upper(),
        "description": "Broadband for the office",
        "contact_information": data["contact_information"],
    }
    assert data["referring_to"]["service_request"] == {
        "life_cycle_state": "RESPONDED",
        "number": "SRV78001",
        "id": service_request.id.hex.upper(),
        "description": None,
        "contact_information": data["contact_information"],
    }
    assert data["referring_to"]["subscription"] is None


def test_their_fields_render_into_the_subject_and_the_content(crm, kathy, seed_subscription, make_lead, smtp_server):
    seed_subscription(kathy, "S60052")
    make_lead(kathy, number="60", title="ASOS")
    content = (
        "Dear #contact_information.first_name, your #subscription.type.name #subscription.number is "
        "#subscription.life_cycle_state; it was billed to account #subscription.accounts_receivable.number "
        "(#subscription.accounts_receivable.name). About #lead.title (#lead.number, #lead.life_cycle_state): "
        "#lead.contact_information.last_name. #subscription.colour stays."
    )

    response = create(
        crm,
        kathy,
        {"subscription_identifier": {"number": "S60052"}, "lead_identifier": {"number": "60"}},
        media="EMAIL",
        to="kathy@example.com",
        subject="Subscription #subscription.number",
        content=content,
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["subject"] == "Subscription S60052"
    assert data["content"] == (
        "Dear Kathy, your Normal Subscription S60052 is CANCELLED; it was billed to account 74 (Paulou). "
        "About ASOS (60, PENDING): Clark. #subscription.colour stays."
    )


def test_the_seed_update_renders_the_state_of_the_subscription_it_refers_to(crm, kathy, seed_subscription, seed_names):
    seed_subscription(kathy, "S60052")
    draft = create(
        crm, kathy, {"subscription_identifier": {"number": "S60052"}}, life_cycle_state="DRAFT", to="kathy@example.com"
    ).json()["data"]

    response = crm.post(
        "communications/update",
        {
            "communication_identifier": {"number": draft["number"]},
            "template_identifier": {"name": "Subscription Information"},
            "content": "the subscription #subscription.number is #subscription.life_cycle_state subscription",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["content"] == "the subscription S60052 is CANCELLED subscription"


@pytest.mark.parametrize(
    ("entity", "identifier", "status", "code"),
    [
        ("subscription", {"number": "S99999"}, 404, "NOT_FOUND"),
        ("subscription", {"id": "9C684858373B49FF97668E4FD9281357"}, 404, "NOT_FOUND"),
        ("subscription", {"id": "not-a-guid"}, 404, "NOT_FOUND"),
        ("subscription", {"code": "S60302"}, 400, "INVALID_VALUE"),
        ("lead", {"number": "61"}, 404, "NOT_FOUND"),
        ("service_request", {"number": "SRV00000"}, 404, "NOT_FOUND"),
        ("subscription", {"number": "S60302", "id": "9C684858373B49FF97668E4FD9281357"}, 400, "INVALID_VALUE"),
    ],
)
def test_an_identifier_that_names_no_record_is_refused_and_nothing_is_written(
    crm, kathy, smtp_server, entity, identifier, status, code
):
    response = create(crm, kathy, {f"{entity}_identifier": identifier}, media="EMAIL", to="kathy@example.com")

    assert response.status_code == status, response.content
    assert response.json()["status"]["code"] == code
    assert response.json()["data"] is None
    assert not Communication.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_another_customers_subscription_is_refused(crm, kathy, make_contact, seed_subscription):
    seed_subscription(make_contact(), "S60302")

    response = create(crm, kathy, {"subscription_identifier": {"number": "S60302"}})

    assert response.status_code == 400
    assert response.json()["status"]["code"] == "INVALID_VALUE"
    assert response.json()["status"]["message"] == "The subscription S60302 belongs to another contact."
    assert not Communication.objects.exists()


def test_a_test_mode_lead_is_not_found_with_a_live_key(crm, crm_test_mode, kathy, make_contact, make_lead):
    sandbox = make_contact(is_test=True)
    make_lead(sandbox, number="60")

    response = create(crm, kathy, {"lead_identifier": {"number": "60"}})

    assert response.status_code == 404
    assert create(crm_test_mode, sandbox, {"lead_identifier": {"number": "60"}}).status_code == 200


def test_an_unknown_lead_on_update_leaves_the_draft_as_it_was(crm, kathy, make_communication):
    draft = make_communication(contact=kathy, content="Before")

    response = crm.post(
        "communications/update",
        {
            "communication_identifier": {"number": draft.number},
            "content": "After",
            "referring_to": {"lead_identifier": {"number": "404"}},
        },
    )

    assert response.status_code == 404
    draft.refresh_from_db()
    assert (draft.content, draft.referring_to) == ("Before", {})


def test_show_and_list_show_them_as_create_did(crm, kathy, seed_subscription, make_lead):
    seed_subscription(kathy, "S60302")
    make_lead(kathy, number="60")
    created = create(
        crm, kathy, {"subscription_identifier": {"number": "S60302"}, "lead_identifier": {"number": "60"}}
    ).json()["data"]

    shown = crm.get("communications/show", communication_identifier=f"number={created['number']}").json()["data"]
    listed = crm.get("communications/list", contact_information_identifier=f"id={kathy.id.hex}").json()["data"]

    assert shown["referring_to"] == created["referring_to"] == listed[0]["referring_to"]


def test_who_wrote_it_is_shown_by_guid(crm_as, kathy, agent, make_communication):
    communication = make_communication(contact=kathy)
    Communication.objects.filter(pk=communication.pk).update(created_by_user=agent, updated_by_user=agent)

    data = crm_as().get("communications/show", communication_identifier=f"number={communication.number}").json()
    created_by = data["data"]["log_information"]["created_by_user"]

    assert created_by == {
        "person_name": "John Doe",
        "username": "j_doe@crm.com",
        "id": agent.identifier.guid.hex.upper(),
        "email": None,
    }
