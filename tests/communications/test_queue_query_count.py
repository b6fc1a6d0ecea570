"""An external system drains the queue with get_latest and one process per entry: both stay a fixed, small
number of queries, and process answers the entry exactly as it is stored afterwards."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communications.models import QueueEntry

pytestmark = pytest.mark.django_db

LATEST = {"communication_queue_external_system_identifier": "name=CONAX Mail message", "number": 50}


def counted(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def fill(make_queue_entry):
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark")

    def fill(count):
        for n in range(count):
            entry = make_queue_entry(subject=f"entry {n}")
            if n % 2:
                QueueEntry.objects.filter(pk=entry.pk).update(created_by_user=clerk, created_by_key=None)

    return fill


def test_a_get_latest_page_costs_the_same_with_two_entries_or_twenty(crm, fill):
    fill(2)
    crm.get("communications/queue/get_latest", **LATEST)  # the key's last-used stamp is written once a minute
    _, with_two = counted(lambda: crm.get("communications/queue/get_latest", **LATEST))
    fill(18)

    response, with_twenty = counted(lambda: crm.get("communications/queue/get_latest", **LATEST))

    assert len(response.json()["data"]) == 20
    # key, external system, page (communication, system and keys joined), users, contacts (with their state and
    # country of residence)
    assert len(with_twenty) == len(with_two) == 5


def test_process_reads_the_entry_once_and_changes_it_with_one_statement(crm, make_queue_entry):
    entry = make_queue_entry()
    crm.get("communications/queue/get_latest", **LATEST)

    response, queries = counted(
        lambda: crm.post("communications/queue/process", {"communication_queue_identifier": {"id": entry.id.hex}})
    )

    assert response.json()["data"]["life_cycle_state"] == "COMPLETED"
    # key, entry (communication, system and keys joined), contact, the conditional UPDATE
    assert len(queries) == 4, queries
    assert [sql.split()[0] for sql in queries].count("UPDATE") == 1


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("process", {}),
        ("reject", {"error_code": "E01", "error_description": "Mailbox full"}),
        ("remove", {}),
    ],
)
def test_the_answer_is_the_entry_as_stored(crm, make_queue_entry, method, body):
    entry = make_queue_entry()
    identifier = {"communication_queue_identifier": {"number": entry.number}}

    answered = crm.post(f"communications/queue/{method}", {**identifier, **body}).json()["data"]
    shown = crm.get("communications/queue/show", communication_queue_identifier=f"number={entry.number}").json()

    assert answered == shown["data"]
    assert answered["log_information"]["updated_by_user"]["person_name"] == "test key"
