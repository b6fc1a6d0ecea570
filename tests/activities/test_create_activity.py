import json
import uuid

import pytest

from accounts.models import Address
from activities.models import Activity, ActivityStateChange, ActivityType, CustomFieldValue

from .helpers import FROM, TO, create_body, epoch, guid

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities"


def test_the_seed_example_creates_an_activity_once_its_ids_are_real(
    backoffice, contact, make_order, site_visit, agent, support, back_office
):
    address = contact.addresses.get()
    order = make_order(contact)
    # The seed's example body, with its ids swapped for ours and its missing CONTACT added.
    body = f"""{{
        "name": "Call customer",
        "description": "We need to call the contact (after 4pm) in order to schedule a demo",
        "type_id": "{site_visit.id}",
        "address_id": "{address.id}",
        "use_entity_address": "false",
        "scheduled_on": {{
            "from_date": 1592809457,
            "to_date": 11653396172
        }},
        "linked_to": [
            {{
                "type": "ORDER",
                "id": "{order.id}"
            }},
            {{
                "type": "CONTACT",
                "id": "{contact.id}"
            }},
        ],
        "assign_to": {{
            "user_id": "{guid(agent)}",
            "team_id": "{support.id}"
        }},
        "custom_fields": [
            {{
                "key": "back_office",
                "value": "0001-12345"
            }}
        ]
    }}"""

    response = backoffice.post(URL, body, content_type="application/json")

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"id"}
    activity = Activity.objects.get(pk=response.json()["id"])
    assert activity.name == "Call customer"
    assert activity.description == "We need to call the contact (after 4pm) in order to schedule a demo"
    assert activity.type == site_visit
    assert activity.contact == contact
    assert activity.address == address
    assert activity.scheduled_from == epoch(1592809457)
    assert activity.scheduled_to == epoch(11653396172)
    assert activity.order == order
    assert (activity.lead, activity.service_request) == (None, None)
    assert (activity.assigned_user, activity.assigned_team) == (agent, support)
    assert [(v.definition.key, v.value) for v in activity.custom_field_values.all()] == [("back_office", "0001-12345")]
    assert activity.state == "PENDING"
    assert activity.is_test is False
    assert list(activity.state_history.values_list("state", flat=True)) == ["PENDING"]


def test_the_smallest_body_creates_a_pending_activity(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, scheduled_on={"from_date": FROM})

    response = backoffice.post(URL, body, format="json")

    assert response.status_code == 201
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.scheduled_from, activity.scheduled_to) == (epoch(FROM), None)
    assert activity.description is None
    assert activity.address is None
    assert activity.linked is None
    assert (activity.assigned_user, activity.assigned_team) == (None, None)
    assert not activity.tags.exists()


def test_the_list_path_with_its_slash_creates_too(backoffice, contact, site_visit):
    response = backoffice.post(f"{URL}/", create_body(contact, site_visit), format="json")

    assert response.status_code == 201
    assert Activity.objects.filter(pk=response.json()["id"]).exists()


def test_use_entity_address_takes_the_contacts_primary_address(backoffice, contact, site_visit):
    primary = Address.objects.create(
        contact=contact, is_primary=True, address_line_1="7 Tower Stars", town_city="Nicosia", country_code="CYP"
    )

    response = backoffice.post(URL, create_body(contact, site_visit, use_entity_address=True), format="json")

    assert response.status_code == 201
    assert Activity.objects.get(pk=response.json()["id"]).address == primary


@pytest.fixture
def records_of(make_lead, make_service_request, make_order):
    """The contact's lead, service request and order, by their link type."""

    def records_of(contact):
        return {
            "LEAD": make_lead(contact),
            "SERVICE_REQUEST": make_service_request(contact),
            "ORDER": make_order(contact),
        }

    return records_of


@pytest.mark.parametrize("link_type", ["LEAD", "SERVICE_REQUEST", "ORDER"])
def test_an_activity_is_linked_to_the_contacts_lead_service_request_or_order(
    backoffice, contact, site_visit, records_of, link_type
):
    record = records_of(contact)[link_type]
    links = [{"type": "CONTACT", "id": str(contact.id)}, {"type": link_type, "id": str(record.id)}]

    response = backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json")

    assert response.status_code == 201
    activity = Activity.objects.get(pk=response.json()["id"])
    assert activity.linked == record
    assert [activity.lead, activity.service_request, activity.order].count(None) == 2


@pytest.mark.parametrize("link_type", ["LEAD", "SERVICE_REQUEST", "ORDER"])
@pytest.mark.parametrize("identifier", [str(uuid.uuid4()), "O101367", "JHGHGF7576HGFTGD564654"])
def test_an_unknown_lead_service_request_or_order_is_not_found(backoffice, contact, site_visit, link_type, identifier):
    links = [{"type": "CONTACT", "id": str(contact.id)}, {"type": link_type, "id": identifier}]

    response = backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json")

    _refused(response, 404, NOT_FOUND, link_type.lower(), identifier)


@pytest.mark.parametrize("link_type", ["LEAD", "SERVICE_REQUEST", "ORDER"])
def test_a_record_of_another_contact_is_refused(backoffice, contact, make_contact, site_visit, records_of, link_type):
    record = records_of(make_contact())[link_type]
    links = [{"type": "CONTACT", "id": str(contact.id)}, {"type": link_type, "id": str(record.id)}]

    response = backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json")

    _refused(response, 400, INVALID, "linked_to", str(record.id))
    assert response.json()["message"] == f"The {record._meta.verbose_name} {record.number} belongs to another contact."


def test_a_record_of_the_other_mode_is_not_found(backoffice, contact, make_contact, site_visit, make_order):
    sandbox_order = make_order(make_contact(is_test=True))
    links = [{"type": "CONTACT", "id": str(contact.id)}, {"type": "ORDER", "id": str(sandbox_order.id)}]

    response = backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json")

    _refused(response, 404, NOT_FOUND, "order")


def test_the_contact_may_be_named_by_its_code(backoffice, make_contact, site_visit):
    contact = make_contact(code="C123")
    links = [{"type": "CONTACT", "id": "C123"}]

    response = backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json")

    assert response.status_code == 201
    assert Activity.objects.get(pk=response.json()["id"]).contact == contact


def test_use_entity_address_takes_the_orders_address_before_the_contacts(backoffice, contact, site_visit, make_order):
    delivery = Address.objects.create(contact=contact, address_line_1="1 Delivery Lane", country_code="CYP")
    order = make_order(contact, address=delivery)
    links = [{"type": "CONTACT", "id": str(contact.id)}, {"type": "ORDER", "id": str(order.id)}]

    response = backoffice.post(
        URL, create_body(contact, site_visit, linked_to=links, use_entity_address=True), format="json"
    )

    assert response.status_code == 201
    assert Activity.objects.get(pk=response.json()["id"]).address == delivery


def test_a_test_mode_key_creates_a_test_activity(backoffice_test_mode, make_contact):
    contact = make_contact(is_test=True)
    test_type = ActivityType.objects.create(name="site visit", is_test=True)

    response = backoffice_test_mode.post(URL, create_body(contact, test_type), format="json")

    assert response.status_code == 201
    assert Activity.objects.get(pk=response.json()["id"]).is_test is True


def _refused(response, status, error, *parameters):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "message", "error", "parameters"}
    assert body["status"] == status
    assert body["error"] == error
    assert body["message"]
    for parameter in parameters:
        assert parameter in body["parameters"], body
    assert not Activity.objects.exists()
    assert not ActivityStateChange.objects.exists()
    assert not CustomFieldValue.objects.exists()


INVALID = "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
MISSING = "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION"
NOT_FOUND = "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION"


@pytest.mark.parametrize("attribute", ["name", "type_id", "scheduled_on", "linked_to"])
def test_a_missing_required_attribute_is_refused(backoffice, contact, site_visit, attribute):
    body = create_body(contact, site_visit)
    del body[attribute]

    _refused(backoffice.post(URL, body, format="json"), 400, MISSING, attribute)


def test_a_name_longer_than_200_characters_is_refused(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, name="x" * 201)

    _refused(backoffice.post(URL, body, format="json"), 400, INVALID, "name")


def test_a_missing_from_date_is_refused(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, scheduled_on={"to_date": TO})

    _refused(backoffice.post(URL, body, format="json"), 400, MISSING, "scheduled_on.from_date")


def test_the_seed_example_without_a_contact_is_refused(backoffice, contact, site_visit, make_order):
    links = [{"type": "ORDER", "id": str(make_order(contact).id)}]

    response = backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json")

    _refused(response, 400, INVALID, "linked_to")
    assert "exactly one CONTACT" in response.json()["message"]


@pytest.mark.parametrize(
    "extra",
    [
        [{"type": "CONTACT", "id": str(uuid.uuid4())}],
        [{"type": "ORDER", "id": str(uuid.uuid4())}, {"type": "LEAD", "id": str(uuid.uuid4())}],
        [{"type": "SERVICE_REQUEST", "id": str(uuid.uuid4())}, {"type": "SERVICE_REQUEST", "id": str(uuid.uuid4())}],
    ],
    ids=["two contacts", "order and lead", "two service requests"],
)
def test_linked_to_takes_one_contact_and_at_most_one_other_entity(backoffice, contact, site_visit, extra):
    links = [{"type": "CONTACT", "id": str(contact.id)}, *extra]

    _refused(backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json"), 400, INVALID)


def test_an_unknown_linked_entity_type_is_refused(backoffice, contact, site_visit):
    links = [{"type": "CONTACT", "id": str(contact.id)}, {"type": "INVOICE", "id": "I1"}]

    _refused(
        backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json"),
        400,
        INVALID,
        "linked_to.1.type",
    )


def test_an_unknown_contact_is_not_found(backoffice, contact, site_visit):
    missing = str(uuid.uuid4())
    links = [{"type": "CONTACT", "id": missing}]

    _refused(
        backoffice.post(URL, create_body(contact, site_visit, linked_to=links), format="json"),
        404,
        NOT_FOUND,
        "contact",
        missing,
    )


def test_a_test_mode_contact_is_not_found_with_a_live_key(backoffice, make_contact, site_visit):
    sandbox_contact = make_contact(is_test=True)

    _refused(backoffice.post(URL, create_body(sandbox_contact, site_visit), format="json"), 404, NOT_FOUND, "contact")


def test_an_unknown_type_is_not_found(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, type_id=str(uuid.uuid4()))

    _refused(backoffice.post(URL, body, format="json"), 404, NOT_FOUND, "activity_type")


def test_a_type_of_the_other_mode_is_not_found(backoffice, contact):
    sandbox_type = ActivityType.objects.create(name="site visit", is_test=True)

    _refused(backoffice.post(URL, create_body(contact, sandbox_type), format="json"), 404, NOT_FOUND, "activity_type")


def test_address_id_and_use_entity_address_together_are_refused(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, address_id=str(contact.addresses.get().id), use_entity_address=True)

    _refused(backoffice.post(URL, body, format="json"), 400, INVALID, "address_id")


def test_an_address_of_another_contact_is_refused(backoffice, contact, make_contact, site_visit):
    someone_else = make_contact()
    body = create_body(contact, site_visit, address_id=str(someone_else.addresses.get().id))

    response = backoffice.post(URL, body, format="json")

    _refused(response, 400, INVALID, "address_id")
    assert response.json()["message"] == "The address belongs to another contact."


def test_an_unknown_address_is_not_found(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, address_id=str(uuid.uuid4()))

    _refused(backoffice.post(URL, body, format="json"), 404, NOT_FOUND, "address")


def test_use_entity_address_for_a_contact_without_address_is_refused(backoffice, make_contact, site_visit):
    homeless = make_contact(addresses=[])

    response = backoffice.post(URL, create_body(homeless, site_visit, use_entity_address=True), format="json")

    _refused(response, 400, INVALID, "use_entity_address")


def test_a_to_date_before_the_from_date_is_refused(backoffice, contact, site_visit):
    body = create_body(contact, site_visit, scheduled_on={"from_date": TO, "to_date": FROM})

    response = backoffice.post(URL, body, format="json")

    _refused(response, 400, INVALID, "scheduled_on")
    assert response.json()["message"] == "scheduled_on.to_date must not be before scheduled_on.from_date."


@pytest.mark.parametrize("value", ["yesterday", "", 1.5, True, 10**20])
def test_a_date_that_is_not_epoch_seconds_is_refused(backoffice, contact, site_visit, value):
    body = create_body(contact, site_visit, scheduled_on={"from_date": value})

    _refused(backoffice.post(URL, body, format="json"), 400, INVALID, "scheduled_on.from_date")


def test_an_unknown_user_is_not_found(backoffice, contact, site_visit, support):
    missing = str(uuid.uuid4())
    body = create_body(contact, site_visit, assign_to={"user_id": missing, "team_id": str(support.id)})

    _refused(backoffice.post(URL, body, format="json"), 404, NOT_FOUND, "user", missing)


def test_a_user_is_named_by_guid_not_by_database_key(backoffice, contact, site_visit, agent):
    body = create_body(contact, site_visit, assign_to={"user_id": str(agent.pk)})

    _refused(backoffice.post(URL, body, format="json"), 400, INVALID, "assign_to.user_id")


def test_an_unknown_team_is_not_found(backoffice, contact, site_visit, agent):
    missing = str(uuid.uuid4())
    body = create_body(contact, site_visit, assign_to={"user_id": guid(agent), "team_id": missing})

    _refused(backoffice.post(URL, body, format="json"), 404, NOT_FOUND, "team", missing)


def test_a_user_outside_the_team_is_refused(backoffice, contact, site_visit, outsider, support):
    body = create_body(contact, site_visit, assign_to={"user_id": guid(outsider), "team_id": str(support.id)})

    response = backoffice.post(URL, body, format="json")

    _refused(response, 400, INVALID, "assign_to")
    assert response.json()["message"] == "User outsider is not a member of team Support."


def test_a_user_or_a_team_alone_may_be_assigned(backoffice, contact, site_visit, outsider, support):
    alone = backoffice.post(URL, create_body(contact, site_visit, assign_to={"user_id": guid(outsider)}), format="json")
    team = backoffice.post(URL, create_body(contact, site_visit, assign_to={"team_id": str(support.id)}), format="json")

    assert (alone.status_code, team.status_code) == (201, 201)
    assert Activity.objects.get(pk=alone.json()["id"]).assigned_user == outsider
    assert Activity.objects.get(pk=team.json()["id"]).assigned_team == support


def test_an_unknown_custom_field_key_is_refused(backoffice, contact, site_visit, back_office):
    fields = [{"key": "back_office", "value": "1"}, {"key": "favourite_colour", "value": "blue"}]

    response = backoffice.post(URL, create_body(contact, site_visit, custom_fields=fields), format="json")

    _refused(response, 400, INVALID, "custom_fields", "favourite_colour")
    assert response.json()["message"] == "Unknown custom field key(s): favourite_colour."


def test_a_custom_field_key_given_twice_is_refused(backoffice, contact, site_visit, back_office):
    fields = [{"key": "back_office", "value": "1"}, {"key": "back_office", "value": "2"}]

    _refused(
        backoffice.post(URL, create_body(contact, site_visit, custom_fields=fields), format="json"),
        400,
        INVALID,
        "custom_fields",
    )


def test_malformed_json_is_refused_in_the_v2_body(backoffice):
    _refused(
        backoffice.post(URL, '{"name": "Call customer"', content_type="application/json"),
        400,
        "CRM.EXCEPTIONS.INVALIDREQUESTEXCEPTION",
    )


def test_a_body_that_is_not_an_object_is_refused(backoffice):
    _refused(backoffice.post(URL, json.dumps(["Call customer"]), content_type="application/json"), 400, INVALID)


def test_a_read_only_key_may_not_create(backoffice_as, contact, site_visit):
    read_only = backoffice_as("backoffice.read")
    _refused(
        read_only.post(URL, create_body(contact, site_visit), format="json"), 403, "CRM.EXCEPTIONS.FORBIDDENEXCEPTION"
    )


def test_no_key_is_unauthorised(anonymous, contact, site_visit):
    _refused(
        anonymous.post(URL, create_body(contact, site_visit), format="json"),
        401,
        "CRM.EXCEPTIONS.UNAUTHORIZEDEXCEPTION",
    )


def test_null_custom_field_entries_are_a_400_not_a_crash(backoffice, contact, site_visit):
    body = {
        "name": "Visit",
        "type_id": str(site_visit.id),
        "scheduled_on": {"from_date": 1592809457},
        "linked_to": [{"type": "CONTACT", "id": str(contact.id)}],
        "custom_fields": [None],
    }

    response = backoffice.post("/backoffice/v2/activities", body, format="json")

    assert response.status_code == 400
    assert response.json()["parameters"][0] == "custom_fields"
    assert not contact.activities.exists()
