"""GET /activities/ by plain code (fast_list) answers the same bytes as the serializer's generic path, for every
filter combination it reads, every sort, and paging; any other query is left to the generic path."""

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from accounts.models import UserIdentifier
from activities import services
from activities.api.backoffice import fast_list
from activities.models import ActivityType

from .helpers import guid

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities/"


@pytest.fixture
def world(
    make_activity, make_contact, make_lead, make_service_request, make_order, site_visit, call_type, agent, support
):
    """Activities with every part filled (each kind of link), bare ones, and one of each mode."""
    company = make_contact(contact_type="COMPANY", company_name="Acme AS", code="C900")
    person = make_contact(first_name="Kari", middle_name="M", last_name="Nord", code=None)
    nameless = get_user_model().objects.create_user("nameless@crm.com")
    support.members.add(nameless)
    w = SimpleNamespace(visit=site_visit, call=call_type, agent=agent, nameless=nameless, support=support)
    full = {"description": "Bring the contract", "assigned_user": agent, "assigned_team": support}
    make_activity(name="Lead call", type=call_type, contact=company, linked=make_lead(company, title="Fibre"), **full)
    make_activity(name="Repair", contact=person, linked=make_service_request(person, number="SRV1"), **full)
    make_activity(name="Delivery", contact=company, linked=make_order(company, number="O1"), **full)
    make_activity(name="Bare", contact=person, scheduled_to=None, description=None)
    make_activity(name="Named by username", type=call_type, assigned_user=nameless, assigned_team=support)
    make_activity(name="Empty text", description="", contact=person, assigned_team=support)
    services.complete_activity(make_activity(name="Done", assigned_user=agent, assigned_team=support))
    services.cancel_activity(make_activity(name="Dropped", type=call_type, assigned_team=support))
    sandbox = {"type": ActivityType.objects.create(name="call", is_test=True), "contact": make_contact(is_test=True)}
    make_activity(name="Sandbox", is_test=True, assigned_team=support, **sandbox)
    return w


def both(client, params, monkeypatch) -> tuple[bool, object, object]:
    """Whether fast_list answered, its response, and the generic path's response to the same request."""
    original, taken = fast_list.answer, []

    def watched(view, request):
        answered = original(view, request)
        taken.append(answered is not None)
        return answered

    monkeypatch.setattr(fast_list, "answer", watched)
    fast = client.get(URL, params)
    monkeypatch.setattr(fast_list, "answer", lambda view, request: None)
    generic = client.get(URL, params)
    monkeypatch.setattr(fast_list, "answer", original)
    return taken == [True], fast, generic


def filter_values(w) -> dict[str, list[str]]:
    return {
        "states": ["PENDING", "COMPLETED,CANCELLED", "CANCELLED,PENDING,PENDING"],
        "types": [str(w.visit.id), f"{w.call.id},{str(w.visit.id).upper()},{w.call.id}"],
        "assign_to_team_id": [str(w.support.id)],
        "assign_to_user_id": [guid(w.agent), guid(w.nameless)],
    }


def combinations(w):
    values = filter_values(w)
    for count in range(len(values) + 1):
        for names in itertools.combinations(values, count):
            for chosen in itertools.product(*(values[name] for name in names)):
                yield dict(zip(names, chosen, strict=True))


def test_every_filter_combination_answers_the_same_bytes(backoffice, world, monkeypatch):
    for filters in combinations(world):
        taken, fast, generic = both(backoffice, filters, monkeypatch)
        assert taken, filters
        assert fast.status_code == generic.status_code == 200, fast.content
        assert fast.content == generic.content, filters


@pytest.mark.parametrize("sort", ["CREATED_DATE", "UPDATED_DATE", "NAME", "SCHEDULED_DATE", None])
@pytest.mark.parametrize("order", ["ASC", "desc", None])
def test_every_sort_answers_the_same_bytes(backoffice, world, monkeypatch, sort, order):
    params = {name: value for name, value in (("sort", sort), ("order", order)) if value is not None}
    taken, fast, generic = both(backoffice, {**params, "states": "PENDING"}, monkeypatch)
    assert taken
    assert fast.content == generic.content


@pytest.mark.parametrize("page", [1, 2, 3, 4, 9])
def test_every_page_answers_the_same_bytes(backoffice, world, monkeypatch, page):
    params = {"size": 3, "page": page, "sort": "NAME", "include_tags": "false", "include_custom_fields": "0"}
    taken, fast, generic = both(backoffice, {**params, "assign_to_team_id": str(world.support.id)}, monkeypatch)
    assert taken
    assert fast.content == generic.content
    assert fast.json()["paging"] == {"page": page, "size": 3, "total": 7}


def test_a_test_key_answers_the_same_bytes(backoffice_test_mode, world, monkeypatch):
    taken, fast, generic = both(backoffice_test_mode, {"assign_to_team_id": str(world.support.id)}, monkeypatch)
    assert taken
    assert fast.content == generic.content
    assert [entry["name"] for entry in fast.json()["content"]] == ["Sandbox"]


def test_a_user_without_a_guid_is_given_the_one_the_serializer_shows(backoffice, world, monkeypatch):
    UserIdentifier.objects.filter(user=world.nameless).delete()
    taken, fast, generic = both(backoffice, {"types": str(world.call.id), "states": "PENDING"}, monkeypatch)
    assert taken
    assert fast.content == generic.content
    assert str(UserIdentifier.objects.get(user=world.nameless).guid) in fast.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"types": "site visit"},
        {"types": "{00000000-0000-0000-0000-000000000001}"},
        {"states": "pending"},
        {"states": "PENDING,"},
        {"assign_to_team_id": " 00000000-0000-0000-0000-000000000001"},
        {"include_tags": "true"},
        {"include_custom_fields": "maybe"},
        {"sort": "COLOUR"},
        {"size": "0"},
        {"page": "x"},
        {"search_value": "Bare"},
        {"unknown": "1"},
    ],
)
def test_other_queries_are_left_to_the_generic_path(backoffice, world, monkeypatch, params):
    taken, fast, generic = both(backoffice, params, monkeypatch)
    assert not taken
    assert (fast.status_code, fast.content) == (generic.status_code, generic.content)


def test_a_repeated_parameter_is_left_to_the_generic_path(backoffice, world, monkeypatch):
    taken, fast, generic = both(backoffice, {"states": ["PENDING", "CANCELLED"]}, monkeypatch)
    assert not taken
    assert fast.content == generic.content
