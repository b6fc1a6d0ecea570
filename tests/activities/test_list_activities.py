"""GET /activities/: the entry shape, include_tags / include_custom_fields, sorting and paging."""

import pytest
import time_machine
from rest_framework.test import APIClient

from activities import services

from .helpers import FROM, TO, epoch, guid

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities/"
CREATED = 1592809457


@pytest.fixture
def documented(make_contact, make_lead, site_visit, agent, support, back_office, maintenance):
    """The activity of the seed's list example."""
    contact = make_contact(first_name="John", last_name="Doe", code="C123")
    lead = make_lead(contact, title="ASOS")
    with time_machine.travel(epoch(CREATED), tick=False):
        activity = services.create_activity(
            is_test=False,
            name="Call customer",
            description="We need to call the customer to arrange a demo",
            type=site_visit,
            contact=contact,
            scheduled_from=epoch(FROM),
            scheduled_to=epoch(TO),
            linked=lead,
            assigned_user=agent,
            assigned_team=support,
            custom_fields={"back_office": "Back Office"},
        )
    activity.tags.add(maintenance)
    services.cancel_activity(activity)
    return activity


def test_an_entry_has_the_documented_shape(backoffice, documented, site_visit, agent, support, maintenance):
    response = backoffice.get(URL, {"include_tags": "true", "include_custom_fields": "true"})

    assert response.status_code == 200
    assert response.json() == {
        "content": [
            {
                "id": str(documented.id),
                "name": "Call customer",
                "description": "We need to call the customer to arrange a demo",
                "state": "CANCELLED",
                "key_dates": {"created_on": CREATED, "scheduled_on": {"from_date": FROM, "to_date": TO}},
                "type": {"id": str(site_visit.id), "name": "site visit", "color": "876FD5"},
                "contact": {"id": str(documented.contact_id), "name": "John Doe", "code": "C123"},
                "lead": {"id": str(documented.lead_id), "title": "ASOS"},
                "service_request": None,
                "order": None,
                "assign_to": {
                    "user": {"id": guid(agent), "name": "John Doe", "username": "j_doe@crm.com"},
                    "team": {"id": str(support.id), "name": "Support"},
                },
                "custom_fields": [{"key": "back_office", "value": "Back Office"}],
                "tags": [{"id": str(maintenance.id), "name": "Maintenance", "colour": "#FF5733"}],
            }
        ],
        "paging": {"page": 1, "size": 10, "total": 1},
    }


@pytest.mark.parametrize(
    ("params", "present"),
    [
        ({}, set()),
        ({"include_tags": "false", "include_custom_fields": "false"}, set()),
        ({"include_tags": "true"}, {"tags"}),
        ({"include_custom_fields": "1"}, {"custom_fields"}),
        ({"include_tags": "TRUE", "include_custom_fields": "true"}, {"tags", "custom_fields"}),
    ],
)
def test_tags_and_custom_fields_come_only_when_asked_for(backoffice, documented, params, present):
    entry = backoffice.get(URL, params).json()["content"][0]

    assert {"tags", "custom_fields"} & set(entry) == present


def test_the_list_path_without_its_slash_answers_the_same(backoffice, documented):
    assert backoffice.get(URL.rstrip("/")).json() == backoffice.get(URL).json()


@pytest.fixture
def three(make_activity):
    """Created, updated, named and scheduled in different orders, so each sort is told apart."""
    made = {}
    for day, name, scheduled in [(1, "Bravo", 3), (2, "Charlie", 1), (3, "Alpha", 2)]:
        with time_machine.travel(epoch(1700000000 + day * 86400), tick=False):
            made[name] = make_activity(name=name, scheduled_from=epoch(FROM + scheduled * 3600), scheduled_to=None)
    with time_machine.travel(epoch(1700000000 + 9 * 86400), tick=False):
        services.update_activity(made["Charlie"], description="touched last")
    with time_machine.travel(epoch(1700000000 + 8 * 86400), tick=False):
        services.update_activity(made["Alpha"], description="touched before")
    return made


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        (None, None, ["Alpha", "Charlie", "Bravo"]),
        ("CREATED_DATE", "DESC", ["Alpha", "Charlie", "Bravo"]),
        ("CREATED_DATE", "ASC", ["Bravo", "Charlie", "Alpha"]),
        ("UPDATED_DATE", "DESC", ["Charlie", "Alpha", "Bravo"]),
        ("UPDATED_DATE", "ASC", ["Bravo", "Alpha", "Charlie"]),
        ("NAME", "ASC", ["Alpha", "Bravo", "Charlie"]),
        ("NAME", "DESC", ["Charlie", "Bravo", "Alpha"]),
        ("SCHEDULED_DATE", "ASC", ["Charlie", "Alpha", "Bravo"]),
        ("SCHEDULED_DATE", "desc", ["Bravo", "Alpha", "Charlie"]),
    ],
)
def test_sort_and_order(backoffice, three, sort, order, expected):
    params = {key: value for key, value in (("sort", sort), ("order", order)) if value}

    content = backoffice.get(URL, params).json()["content"]

    assert [entry["name"] for entry in content] == expected


def test_pages_follow_the_sort_without_gaps_or_repeats(backoffice, make_activity):
    for number in range(25):
        make_activity(name=f"Activity {number:02}")

    pages = [
        backoffice.get(URL, {"sort": "NAME", "order": "ASC", "page": page, "size": 10}).json() for page in (1, 2, 3)
    ]

    assert [page["paging"] for page in pages] == [
        {"page": 1, "size": 10, "total": 25},
        {"page": 2, "size": 10, "total": 25},
        {"page": 3, "size": 10, "total": 25},
    ]
    listed = [entry["name"] for page in pages for entry in page["content"]]
    assert listed == [f"Activity {number:02}" for number in range(25)]


def test_a_page_past_the_end_is_empty(backoffice, activity):
    assert backoffice.get(URL, {"page": 5}).json() == {"content": [], "paging": {"page": 5, "size": 10, "total": 1}}


def test_no_key_is_unauthorised(anonymous, activity):
    response = anonymous.get(URL)

    assert response.status_code == 401
    assert response.json()["error"] == "CRM.EXCEPTIONS.UNAUTHORIZEDEXCEPTION"


def test_a_key_without_the_backoffice_scope_is_forbidden(backoffice_as, activity):
    client = backoffice_as("communications.read")

    assert client.get(URL).status_code == 403


def test_a_logged_in_user_lists_live_activities_with_the_jwt(anonymous, activity, agent):
    agent.set_password("correct horse")
    agent.save()
    login = anonymous.post(
        "/backoffice/v2/users/login", {"username": agent.username, "password": "correct horse"}, format="json"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")

    response = client.get(URL)

    assert response.status_code == 200
    assert [entry["id"] for entry in response.json()["content"]] == [str(activity.id)]
