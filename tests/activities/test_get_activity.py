import uuid

import pytest
import time_machine

from accounts.models import Address
from activities import services
from activities.models import ActivityType

from .helpers import FROM, TO, epoch

pytestmark = pytest.mark.django_db

CREATED = 1653300000
COMPLETED = 1653400142


def test_get_returns_the_documented_body(
    backoffice, make_contact, make_service_request, site_visit, agent, support, back_office
):
    contact = make_contact(first_name="John", last_name="Doe", code="C123", addresses=[])
    service_request = make_service_request(contact, number="SRV78001")
    address = Address.objects.create(
        contact=contact,
        address_line_1="Elia Papakyriakou",
        address_line_2="7 Tower Stars",
        state_province_county="Egkomi",
        town_city="Nicosia",
        postal_code="2015",
        country_code="CYP",
        lat=35.157115,
        lon=33.313719,
        google_place_id="ChIJrTLr-GyuEmsRBfy61i59si0",
    )
    with time_machine.travel(epoch(CREATED), tick=False):
        activity = services.create_activity(
            is_test=False,
            name="Call customer",
            description="Arrange a call with the customer after 4pm to schedule a demo for next week",
            type=site_visit,
            contact=contact,
            address=address,
            scheduled_from=epoch(FROM),
            scheduled_to=epoch(TO),
            linked=service_request,
            assigned_user=agent,
            assigned_team=support,
            custom_fields={"back_office": "Back Office"},
        )
    services.complete_activity(activity, on=epoch(COMPLETED))

    response = backoffice.get(f"/backoffice/v2/activities/{activity.id}")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(activity.id),
        "name": "Call customer",
        "description": "Arrange a call with the customer after 4pm to schedule a demo for next week",
        "state": "COMPLETED",
        "key_dates": {"created_on": CREATED, "scheduled_on": {"from_date": FROM, "to_date": TO}},
        "type": {"id": str(site_visit.id), "name": "site visit", "color": "876FD5"},
        "contact": {"id": str(contact.id), "name": "John Doe", "code": "C123"},
        "lead": None,
        "service_request": {"id": str(service_request.id), "number": "SRV78001"},
        "order": None,
        "address": {
            "address_line_1": "Elia Papakyriakou",
            "address_line_2": "7 Tower Stars",
            "state_province_county": "Egkomi",
            "town_city": "Nicosia",
            "postal_code": "2015",
            "country": "CYP",
            "lat": 35.157115,
            "lon": 33.313719,
            "google_place_id": "ChIJrTLr-GyuEmsRBfy61i59si0",
        },
        "states": [{"state": "PENDING", "date": CREATED}, {"state": "COMPLETED", "date": COMPLETED}],
        "assign_to": {
            "user": {"id": str(agent.identifier.guid), "name": "John Doe", "username": "j_doe@crm.com"},
            "team": {"id": str(support.id), "name": "Support"},
        },
        "custom_fields": [{"key": "back_office", "value": "Back Office"}],
    }


def test_an_activity_with_nothing_optional_shows_nulls(backoffice, make_activity):
    activity = make_activity(scheduled_to=None)

    body = backoffice.get(f"/backoffice/v2/activities/{activity.id}").json()

    assert body["description"] is None
    assert body["key_dates"]["scheduled_on"] == {"from_date": FROM, "to_date": None}
    assert (body["lead"], body["service_request"], body["order"], body["address"]) == (None, None, None, None)
    assert body["assign_to"] == {"user": None, "team": None}
    assert body["custom_fields"] == []
    assert [entry["state"] for entry in body["states"]] == ["PENDING"]


def test_a_lead_shows_its_title(backoffice, make_activity, make_lead, contact):
    lead = make_lead(contact, title="ASOS")
    activity = make_activity(linked=lead)

    body = backoffice.get(f"/backoffice/v2/activities/{activity.id}").json()

    assert body["lead"] == {"id": str(lead.id), "title": "ASOS"}
    assert (body["service_request"], body["order"]) == (None, None)


def test_an_order_shows_its_number(backoffice, make_activity, make_order, contact):
    order = make_order(contact, number="O101367")
    activity = make_activity(linked=order)

    body = backoffice.get(f"/backoffice/v2/activities/{activity.id}").json()

    assert body["order"] == {"id": str(order.id), "number": "O101367"}
    assert (body["lead"], body["service_request"]) == (None, None)


def test_the_assigned_user_is_shown_by_their_guid_not_their_database_key(backoffice, make_activity, agent):
    activity = make_activity(assigned_user=agent)

    user = backoffice.get(f"/backoffice/v2/activities/{activity.id}").json()["assign_to"]["user"]

    assert uuid.UUID(user["id"]) == agent.identifier.guid
    assert user["id"] != str(agent.pk)


@pytest.mark.parametrize("identifier", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_activity_is_not_found(backoffice, identifier):
    response = backoffice.get(f"/backoffice/v2/activities/{identifier}")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "message": f"No activity matches {identifier}.",
        "error": "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION",
        "parameters": ["activity", str(identifier)],
    }


def test_a_test_activity_is_not_found_with_a_live_key(backoffice, make_activity, make_contact):
    sandbox = make_activity(
        is_test=True,
        contact=make_contact(is_test=True),
        type=ActivityType.objects.create(name="site visit", is_test=True),
    )

    assert backoffice.get(f"/backoffice/v2/activities/{sandbox.id}").status_code == 404
