"""GET communications/queue/list, get_latest and get_pending_completed."""

import pytest

from communications.models import QueueExternalSystem

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(make_queue_entry, make_contact):
    sms_system = QueueExternalSystem.objects.create(name="External SMS System", alternative_code="ESMSS")
    other = make_contact()
    return {
        "pending_old": make_queue_entry(subject="pending old"),
        "completed": make_queue_entry(subject="completed", state="COMPLETED"),
        "rejected": make_queue_entry(subject="rejected", state="REJECTED"),
        "removed": make_queue_entry(subject="removed", state="COMPLETED_AND_REMOVED"),
        "sms": make_queue_entry(subject="sms", media="SMS", to="+35799000000", external_system=sms_system),
        "other_contact": make_queue_entry(subject="other contact", contact=other),
        "pending_new": make_queue_entry(subject="pending new"),
    }


def subjects(response):
    assert response.status_code == 200, response.content
    return [item["communication"]["subject"] for item in response.json()["data"]]


CONAX = "name=CONAX Mail message"


def test_list_by_external_system_newest_first(crm, queue):
    assert subjects(crm.get("communications/queue/list", communication_queue_external_system_identifier=CONAX)) == [
        "pending new",
        "other contact",
        "removed",
        "rejected",
        "completed",
        "pending old",
    ]


def test_list_by_media_and_state(crm, queue):
    assert subjects(crm.get("communications/queue/list", media="SMS")) == ["sms"]
    response = crm.get(
        "communications/queue/list", communication_queue_external_system_identifier=CONAX, life_cycle_state="REJECTED"
    )
    assert subjects(response) == ["rejected"]


def test_list_by_contact_and_paging(crm, queue, contact):
    response = crm.get(
        "communications/queue/list",
        communication_queue_external_system_identifier="alternative_code=CW5 MAIL",
        contact_information_identifier=f"id={contact.id.hex}",
        number_of_results=2,
        offset=1,
    )
    assert subjects(response) == ["removed", "rejected"]


def test_get_latest_returns_the_newest_pending_entries(crm, queue):
    response = crm.get(
        "communications/queue/get_latest", communication_queue_external_system_identifier=CONAX, number=2
    )
    assert subjects(response) == ["pending new", "other contact"]
    assert {item["life_cycle_state"] for item in response.json()["data"]} == {"PENDING"}


def test_get_pending_completed_returns_both_newest_first(crm, queue):
    response = crm.get(
        "communications/queue/get_pending_completed", communication_queue_external_system_identifier=CONAX
    )
    assert subjects(response) == ["pending new", "other contact", "completed", "pending old"]
    legacy = crm.get("communications/queue/get_pending_completed", media="EMAIL", number=1)
    assert subjects(legacy) == ["pending new"]
    paged = crm.get("communications/queue/get_pending_completed", media="EMAIL", number_of_results=2, offset=2)
    assert subjects(paged) == ["completed", "pending old"]


@pytest.mark.parametrize("method", ["list", "get_latest", "get_pending_completed"])
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"number": "1"}, "MISSING_PARAMETER"),
        ({"media": "EMAIL", "communication_queue_external_system_identifier": CONAX, "number": "1"}, "INVALID_VALUE"),
        ({"media": "TELEGRAM", "number": "1"}, "INVALID_VALUE"),
        ({"communication_queue_external_system_identifier": "name=Nobody", "number": "1"}, "NOT_FOUND"),
    ],
)
def test_the_semi_optional_pair_is_enforced(crm, queue, method, params, code):
    response = crm.get(f"communications/queue/{method}", **params)

    assert 400 <= response.status_code < 500
    assert response.json()["status"]["code"] == code


@pytest.mark.parametrize(
    ("number", "code"), [(None, "MISSING_PARAMETER"), ("0", "INVALID_VALUE"), ("x", "INVALID_VALUE")]
)
def test_get_latest_needs_a_positive_number(crm, queue, number, code):
    params = {"media": "EMAIL"} | ({"number": number} if number else {})
    assert crm.get("communications/queue/get_latest", **params).json()["status"]["code"] == code
