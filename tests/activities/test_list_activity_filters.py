"""GET /activities/ filters: each alone, combined, and refused when malformed."""

from types import SimpleNamespace

import pytest
import time_machine

from activities import services
from activities.models import ActivityType, Tag

from .helpers import epoch, guid

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities/"
DAY = 86400
T0 = 1700000000


@pytest.fixture
def world(
    make_activity,
    make_contact,
    make_lead,
    make_service_request,
    make_order,
    site_visit,
    call_type,
    vip,
    maintenance,
    agent,
    support,
    outsider,
    field_service,
    back_office,
    region,
):
    """Four live activities that differ in every filtered attribute, and a test one that matches them all."""
    w = SimpleNamespace(
        john=make_contact(first_name="John", code="C123"),
        maria=make_contact(first_name="Maria", code="C124"),
        call=call_type,
        visit=site_visit,
        vip=vip,
        maintenance=maintenance,
        agent=agent,
        outsider=outsider,
        support=support,
        field_service=field_service,
    )

    w.lead = make_lead(w.john, title="ASOS")
    w.order = make_order(w.maria, number="O101367")
    w.service_request = make_service_request(w.john, number="SRV78001")

    def at(day, **fields):
        with time_machine.travel(epoch(T0 + day * DAY), tick=False):
            return make_activity(**fields)

    w.call_john = at(
        0,
        name="Call customer",
        type=call_type,
        contact=w.john,
        linked=w.lead,
        assigned_user=agent,
        assigned_team=support,
        custom_fields={"back_office": "B1"},
    )
    w.visit_maria = at(
        1,
        name="Site visit Nicosia",
        type=site_visit,
        contact=w.maria,
        linked=w.order,
        assigned_user=outsider,
        assigned_team=field_service,
        custom_fields={"region": "EU", "back_office": "B2"},
    )
    w.demo_call = at(
        2,
        name="Demo call",
        type=call_type,
        contact=w.john,
        linked=w.service_request,
    )
    w.quarterly = at(
        3,
        name="Quarterly demo",
        type=site_visit,
        contact=w.maria,
        assigned_user=agent,
        assigned_team=support,
        custom_fields={"back_office": "B1"},
    )
    w.call_john.tags.add(vip)
    w.visit_maria.tags.add(maintenance)
    w.quarterly.tags.add(vip, maintenance)
    services.complete_activity(w.visit_maria, on=epoch(T0 + 10 * DAY))
    services.cancel_activity(w.demo_call, on=epoch(T0 + 11 * DAY))
    services.complete_activity(w.quarterly, on=epoch(T0 + 12 * DAY))

    # The same in test mode: a live key must never see it, whatever it filters on.
    sandbox_contact = make_contact(is_test=True)
    w.sandbox_lead = make_lead(sandbox_contact, title="ASOS")
    at(
        0,
        is_test=True,
        name="Call customer",
        type=ActivityType.objects.create(name="call", is_test=True),
        contact=sandbox_contact,
        linked=w.sandbox_lead,
        assigned_user=agent,
        assigned_team=support,
        custom_fields={"back_office": "B1"},
    ).tags.add(Tag.objects.create(name="VIP", is_test=True))
    return w


def names(client, params) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["paging"]["total"] == len(body["content"])
    return {entry["name"] for entry in body["content"]}


ALL = {"Call customer", "Site visit Nicosia", "Demo call", "Quarterly demo"}

ALONE = {
    "search_value": (lambda w: "DEMO", {"Demo call", "Quarterly demo"}),
    "search_value (middle of a word)": (lambda w: "isit nic", {"Site visit Nicosia"}),
    "types by id": (lambda w: str(w.call.id), {"Call customer", "Demo call"}),
    "types by ids": (lambda w: f"{w.call.id},{w.visit.id}", ALL),
    "types by name": (lambda w: "Site Visit", {"Site visit Nicosia", "Quarterly demo"}),
    "contact_id": (lambda w: str(w.john.id), {"Call customer", "Demo call"}),
    "contact_id (by code)": (lambda w: "C124", {"Site visit Nicosia", "Quarterly demo"}),
    "contact_id (unknown code)": (lambda w: "C999", set()),
    "lead_id": (lambda w: str(w.lead.id), {"Call customer"}),
    "service_request_id": (lambda w: str(w.service_request.id), {"Demo call"}),
    "order_id": (lambda w: str(w.order.id), {"Site visit Nicosia"}),
    "states": (lambda w: "PENDING", {"Call customer"}),
    "states (two)": (lambda w: "COMPLETED,CANCELLED", {"Site visit Nicosia", "Demo call", "Quarterly demo"}),
    "tag_ids": (lambda w: str(w.vip.id), {"Call customer", "Quarterly demo"}),
    "tag_ids (any of)": (
        lambda w: f"{w.vip.id},{w.maintenance.id}",
        {"Call customer", "Site visit Nicosia", "Quarterly demo"},
    ),
    "created_on[gt]": (lambda w: T0 + DAY, {"Demo call", "Quarterly demo"}),
    "created_on[gte]": (lambda w: T0 + DAY, {"Site visit Nicosia", "Demo call", "Quarterly demo"}),
    "created_on[lt]": (lambda w: T0 + DAY, {"Call customer"}),
    "created_on[lte]": (lambda w: T0 + DAY, {"Call customer", "Site visit Nicosia"}),
    "completed_on[gt]": (lambda w: T0 + 10 * DAY, {"Quarterly demo"}),
    "completed_on[gte]": (lambda w: T0 + 10 * DAY, {"Site visit Nicosia", "Quarterly demo"}),
    "completed_on[lt]": (lambda w: T0 + 12 * DAY, {"Site visit Nicosia"}),
    "completed_on[lte]": (lambda w: T0 + 12 * DAY, {"Site visit Nicosia", "Quarterly demo"}),
    "assign_to_user_id": (lambda w: guid(w.agent), {"Call customer", "Quarterly demo"}),
    "assign_to_team_id": (lambda w: str(w.field_service.id), {"Site visit Nicosia"}),
    "custom_fields": (lambda w: "back_office;B1", {"Call customer", "Quarterly demo"}),
    "custom_fields (other key)": (lambda w: "region;EU", {"Site visit Nicosia"}),
    "custom_fields (no match)": (lambda w: "region;US", set()),
}


@pytest.mark.parametrize("case", list(ALONE))
def test_each_filter_alone(backoffice, world, case):
    value, expected = ALONE[case]
    parameter = case.split(" (")[0].replace(" by ids", "").replace(" by id", "").replace(" by name", "")

    assert names(backoffice, {parameter: value(world)}) == expected


def test_no_filter_lists_every_live_activity(backoffice, world):
    assert names(backoffice, {}) == ALL


def test_a_test_key_sees_only_the_test_activity(backoffice, backoffice_test_mode, world):
    assert names(backoffice_test_mode, {"search_value": "call"}) == {"Call customer"}
    sandbox_lead = str(world.sandbox_lead.id)
    assert names(backoffice_test_mode, {"lead_id": sandbox_lead, "custom_fields": "back_office;B1"}) == {
        "Call customer"
    }
    assert names(backoffice, {"lead_id": sandbox_lead}) == set()


def test_filters_combine_with_and(backoffice, world):
    w = world
    assert names(backoffice, {"types": str(w.call.id), "contact_id": str(w.john.id), "states": "PENDING"}) == {
        "Call customer"
    }
    assert names(
        backoffice,
        {
            "search_value": "demo",
            "tag_ids": str(w.vip.id),
            "states": "COMPLETED",
            "assign_to_user_id": guid(w.agent),
            "assign_to_team_id": str(w.support.id),
            "custom_fields": "back_office;B1",
            "created_on[gte]": T0 + 2 * DAY,
            "created_on[lt]": T0 + 4 * DAY,
            "completed_on[gt]": T0 + 11 * DAY,
            "completed_on[lte]": T0 + 12 * DAY,
        },
    ) == {"Quarterly demo"}
    assert names(backoffice, {"contact_id": "C124", "order_id": str(w.order.id), "tag_ids": str(w.vip.id)}) == set()
    assert names(backoffice, {"created_on[gte]": T0 + DAY, "created_on[lte]": T0 + 2 * DAY}) == {
        "Site visit Nicosia",
        "Demo call",
    }


def test_custom_fields_may_be_repeated_and_all_must_hold(backoffice, world):
    response = backoffice.get(f"{URL}?custom_fields=back_office;B2&custom_fields=region;EU")
    also_wrong = backoffice.get(f"{URL}?custom_fields=back_office;B1&custom_fields=region;EU")

    assert [entry["name"] for entry in response.json()["content"]] == ["Site visit Nicosia"]
    assert also_wrong.json()["content"] == []


def test_filters_and_paging_agree_on_the_total(backoffice, world):
    body = backoffice.get(URL, {"states": "COMPLETED,CANCELLED", "size": 2, "page": 2}).json()

    assert body["paging"] == {"page": 2, "size": 2, "total": 3}
    assert len(body["content"]) == 1


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("states", "DONE"),
        ("states", "PENDING,done"),
        ("tag_ids", "VIP"),
        ("lead_id", "L-1"),
        ("service_request_id", "SRV78001"),
        ("order_id", "O101367"),
        ("assign_to_team_id", "Support"),
        ("assign_to_user_id", "j_doe"),
        ("assign_to_user_id", "1"),
        ("created_on[gt]", "yesterday"),
        ("created_on[lte]", "99999999999999999999"),
        ("completed_on[gte]", "1.5"),
        ("custom_fields", "back_office"),
        ("custom_fields", ";B1"),
        ("custom_fields", "colour;blue"),
        ("include_tags", "maybe"),
        ("include_custom_fields", "yes please"),
        ("sort", "DUE_DATE"),
        ("order", "UP"),
        ("page", "0"),
        ("size", "101"),
    ],
)
def test_a_malformed_filter_is_refused_in_the_v2_body(backoffice, world, parameter, value):
    response = backoffice.get(URL, {parameter: value})

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400
    assert body["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert body["parameters"][0] == parameter
    assert body["message"]
