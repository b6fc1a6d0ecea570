import uuid

import pytest
import time_machine
from django.forms.models import model_to_dict

from accounts.models import Address
from activities import services
from activities.models import Activity, ActivityType

from .helpers import FROM, TO, epoch, guid

pytestmark = pytest.mark.django_db

LATER = 1900000000


def url(activity) -> str:
    return f"/backoffice/v2/activities/{activity.id}"


def snapshot(activity) -> dict:
    """Everything an update could change, to prove a refused one changed nothing."""
    fresh = Activity.objects.get(pk=activity.pk)
    return {
        **model_to_dict(fresh, exclude=["tags"]),
        "updated_on": fresh.updated_on,
        "history": list(fresh.state_history.values_list("state", "date")),
        "custom_fields": list(fresh.custom_field_values.values_list("definition__key", "value")),
    }


def test_the_seed_example_updates_an_activity(
    backoffice, make_activity, make_order, contact, agent, support, back_office
):
    activity = make_activity()
    order = make_order(contact)
    address = Address.objects.create(contact=contact, address_line_1="7 Tower Stars", country_code="CYP")
    body = {
        "name": "Approve Offers",
        "description": "Require 4 approvals for an offer",
        "state": "CANCELLED",
        "address_id": str(address.id),
        "scheduled_on": {"from_date": 1592809457, "to_date": 11653396172},
        "linked_to": [{"type": "ORDER", "id": str(order.id)}],
        "assign_to": {"user_id": guid(agent), "team_id": str(support.id)},
        "custom_fields": [{"key": "back_office", "value": "0001-12345"}],
    }

    with time_machine.travel(epoch(LATER), tick=False):
        response = backoffice.put(url(activity), body, format="json")

    assert response.status_code == 200
    assert response.json() == {"id": str(activity.id)}
    activity.refresh_from_db()
    assert (activity.name, activity.description) == ("Approve Offers", "Require 4 approvals for an offer")
    assert activity.state == "CANCELLED"
    assert activity.completed_on is None
    assert list(activity.state_history.values_list("state", "date")) == [
        ("PENDING", activity.created_on),
        ("CANCELLED", epoch(LATER)),
    ]
    assert activity.address == address
    assert (activity.scheduled_from, activity.scheduled_to) == (epoch(1592809457), epoch(11653396172))
    assert activity.linked == order
    assert (activity.assigned_user, activity.assigned_team) == (agent, support)
    assert list(activity.custom_field_values.values_list("definition__key", "value")) == [("back_office", "0001-12345")]
    assert activity.contact == contact


def test_completing_through_put_sets_the_completed_date(backoffice, activity):
    with time_machine.travel(epoch(LATER), tick=False):
        response = backoffice.put(url(activity), {"state": "COMPLETED"}, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.state, activity.completed_on) == ("COMPLETED", epoch(LATER))
    assert activity.state_history.last().state == "COMPLETED"


def test_attributes_left_out_stay_as_they_are(
    backoffice, make_activity, make_lead, contact, agent, support, back_office
):
    activity = make_activity(
        description="Bring the contract",
        assigned_user=agent,
        assigned_team=support,
        linked=make_lead(contact),
        custom_fields={"back_office": "B1"},
    )
    before = snapshot(activity)

    response = backoffice.put(url(activity), {"name": "Call customer again"}, format="json")

    assert response.status_code == 200
    after = snapshot(activity)
    assert after.pop("name") == "Call customer again"
    before.pop("name")
    after.pop("updated_on"), before.pop("updated_on")
    assert after == before


def test_null_keeps_what_every_activity_has(backoffice, activity):
    before = snapshot(activity)

    body = {"name": None, "state": None, "type_id": None, "scheduled_on": None, "linked_to": None}
    response = backoffice.put(url(activity), body, format="json")

    assert response.status_code == 200
    after = snapshot(activity)
    after.pop("updated_on"), before.pop("updated_on")
    assert after == before


def test_null_clears_what_an_activity_can_be_without(backoffice, make_activity, contact, agent, support, back_office):
    activity = make_activity(
        description="Bring the contract",
        address=contact.addresses.get(),
        assigned_user=agent,
        assigned_team=support,
        custom_fields={"back_office": "B1"},
    )

    body = {"description": None, "address_id": None, "assign_to": None, "custom_fields": None}
    response = backoffice.put(url(activity), body, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.description, activity.address, activity.assigned_user, activity.assigned_team) == (
        None,
        None,
        None,
        None,
    )
    assert not activity.custom_field_values.exists()


def test_scheduled_on_is_replaced_as_a_whole(backoffice, activity):
    response = backoffice.put(url(activity), {"scheduled_on": {"from_date": LATER}}, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.scheduled_from, activity.scheduled_to) == (epoch(LATER), None)


def test_linked_to_replaces_the_record_and_an_empty_list_removes_it(
    backoffice, make_activity, make_lead, make_order, contact
):
    activity = make_activity(linked=make_lead(contact))
    order = make_order(contact)

    replaced = backoffice.put(url(activity), {"linked_to": [{"type": "ORDER", "id": str(order.id)}]}, format="json")
    activity.refresh_from_db()
    after_replace = (activity.lead, activity.order)
    removed = backoffice.put(url(activity), {"linked_to": []}, format="json")
    activity.refresh_from_db()

    assert (replaced.status_code, removed.status_code) == (200, 200)
    assert after_replace == (None, order)
    assert activity.linked is None


@pytest.mark.parametrize("named_by", ["id", "code"])
def test_the_activitys_own_contact_may_be_repeated(backoffice, make_activity, make_contact, make_lead, named_by):
    contact = make_contact(code="C123")
    activity = make_activity(contact=contact)
    lead = make_lead(contact)
    body = {
        "linked_to": [{"type": "CONTACT", "id": str(getattr(contact, named_by))}, {"type": "LEAD", "id": str(lead.id)}]
    }

    response = backoffice.put(url(activity), body, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.contact, activity.lead) == (contact, lead)


def test_a_lead_of_another_contact_changes_nothing(backoffice, activity, make_contact, make_lead):
    lead = make_lead(make_contact())
    before = snapshot(activity)

    body = {"name": "Renamed", "linked_to": [{"type": "LEAD", "id": str(lead.id)}]}

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 400, INVALID, "linked_to")


def test_use_entity_address_takes_the_service_requests_address(backoffice, activity, contact, make_service_request):
    site = Address.objects.create(contact=contact, address_line_1="3 Boiler Road", country_code="CYP")
    service_request = make_service_request(contact, address=site)
    body = {"use_entity_address": True, "linked_to": [{"type": "SERVICE_REQUEST", "id": str(service_request.id)}]}

    response = backoffice.put(url(activity), body, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.service_request, activity.address) == (service_request, site)


def test_use_entity_address_takes_the_contacts_address(backoffice, activity, contact):
    response = backoffice.put(url(activity), {"use_entity_address": True}, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.address == contact.addresses.get()


def test_the_type_may_be_changed(backoffice, activity, call_type):
    response = backoffice.put(url(activity), {"type_id": str(call_type.id)}, format="json")

    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.type == call_type


def test_putting_the_current_state_again_changes_nothing(backoffice, activity):
    services.complete_activity(activity, on=epoch(LATER))
    before = snapshot(activity)

    response = backoffice.put(url(activity), {"state": "COMPLETED"}, format="json")

    assert response.status_code == 200
    after = snapshot(activity)
    after.pop("updated_on"), before.pop("updated_on")
    assert after == before


def _refused(response, activity, before, status, error, *parameters):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "message", "error", "parameters"}
    assert body["error"] == error
    for parameter in parameters:
        assert parameter in body["parameters"], body
    assert snapshot(activity) == before


INVALID = "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
NOT_FOUND = "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION"


@pytest.mark.parametrize(("closed", "wanted"), [("COMPLETED", "PENDING"), ("CANCELLED", "COMPLETED")])
def test_a_closed_activity_cannot_change_state(backoffice, activity, closed, wanted):
    services.change_activity_state(activity, closed, on=epoch(LATER))
    before = snapshot(activity)

    response = backoffice.put(url(activity), {"name": "Reopened", "state": wanted}, format="json")

    _refused(response, activity, before, 400, "CRM.EXCEPTIONS.INVALIDSTATETRANSITIONEXCEPTION", "state")


def test_an_empty_body_is_refused(backoffice, activity):
    before = snapshot(activity)

    _refused(backoffice.put(url(activity), {}, format="json"), activity, before, 400, INVALID)


def test_an_unknown_state_is_refused(backoffice, activity):
    before = snapshot(activity)

    _refused(backoffice.put(url(activity), {"state": "DONE"}, format="json"), activity, before, 400, INVALID, "state")


def test_the_contact_cannot_be_changed(backoffice, activity, make_contact):
    other = make_contact()
    before = snapshot(activity)

    response = backoffice.put(url(activity), {"linked_to": [{"type": "CONTACT", "id": str(other.id)}]}, format="json")

    _refused(response, activity, before, 400, INVALID, "linked_to")
    assert response.json()["message"] == "The contact of an activity cannot be changed."


def test_an_unknown_custom_field_key_changes_nothing_at_all(backoffice, make_activity, back_office):
    activity = make_activity(custom_fields={"back_office": "B1"})
    before = snapshot(activity)

    body = {"name": "Renamed", "state": "COMPLETED", "custom_fields": [{"key": "nope", "value": "1"}]}
    response = backoffice.put(url(activity), body, format="json")

    _refused(response, activity, before, 400, INVALID, "custom_fields", "nope")


def test_a_to_date_before_the_from_date_is_refused(backoffice, activity):
    before = snapshot(activity)

    body = {"scheduled_on": {"from_date": TO, "to_date": FROM}}

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 400, INVALID, "scheduled_on")


def test_address_id_and_use_entity_address_together_are_refused(backoffice, activity, contact):
    before = snapshot(activity)

    body = {"address_id": str(contact.addresses.get().id), "use_entity_address": True}

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 400, INVALID, "address_id")


def test_an_address_of_another_contact_is_refused(backoffice, activity, make_contact):
    before = snapshot(activity)

    body = {"address_id": str(make_contact().addresses.get().id)}

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 400, INVALID, "address_id")


def test_a_user_outside_the_team_is_refused(backoffice, activity, outsider, support):
    before = snapshot(activity)

    body = {"assign_to": {"user_id": guid(outsider), "team_id": str(support.id)}}

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 400, INVALID, "assign_to")


@pytest.mark.parametrize(
    ("body", "entity"),
    [
        ({"type_id": "7a1d0c52-0000-4000-8000-000000000000"}, "activity_type"),
        ({"address_id": "7a1d0c52-0000-4000-8000-000000000000"}, "address"),
        ({"assign_to": {"user_id": "7a1d0c52-0000-4000-8000-000000000000"}}, "user"),
        ({"linked_to": [{"type": "LEAD", "id": "7a1d0c52-0000-4000-8000-000000000000"}]}, "lead"),
        ({"assign_to": {"team_id": "7a1d0c52-0000-4000-8000-000000000000"}}, "team"),
    ],
)
def test_unknown_references_are_not_found(backoffice, activity, body, entity):
    before = snapshot(activity)

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 404, NOT_FOUND, entity)


def test_a_type_of_the_other_mode_is_not_found(backoffice, activity):
    sandbox_type = ActivityType.objects.create(name="call", is_test=True)
    before = snapshot(activity)

    body = {"type_id": str(sandbox_type.id)}

    _refused(backoffice.put(url(activity), body, format="json"), activity, before, 404, NOT_FOUND, "activity_type")


def test_an_unknown_activity_is_not_found(backoffice):
    missing = uuid.uuid4()

    response = backoffice.put(f"/backoffice/v2/activities/{missing}", {"name": "x"}, format="json")

    assert response.status_code == 404
    assert response.json()["parameters"] == ["activity", str(missing)]


def test_a_read_only_key_may_not_update(backoffice_as, activity):
    read_only = backoffice_as("backoffice.read")
    before = snapshot(activity)

    response = read_only.put(url(activity), {"name": "Renamed"}, format="json")

    _refused(response, activity, before, 403, "CRM.EXCEPTIONS.FORBIDDENEXCEPTION")
