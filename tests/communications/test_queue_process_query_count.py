"""An external system drains the queue with one process per entry: process stays a fixed, small number of queries
and one statement, and answers the entry exactly as it is stored afterwards. (The reads' query counts are guarded with
every other list and detail in tests/query_counts/.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LATEST = {"communication_queue_external_system_identifier": "name=CONAX Mail message", "number": 50}


def counted(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return response, [query["sql"] for query in captured.captured_queries]


def test_process_reads_the_entry_once_and_changes_it_with_one_statement(crm, make_queue_entry):
    entry = make_queue_entry()
    crm.get("communications/queue/get_latest", **LATEST)

    response, queries = counted(
        lambda: crm.post("communications/queue/process", {"communication_queue_identifier": {"id": entry.id.hex}})
    )

    assert response.json()["data"]["life_cycle_state"] == "COMPLETED"
    # entry (communication, its contact, system and keys joined), then one statement: the conditional UPDATE and
    # the entry's history snapshot inserted from the row it left (no read back); the key was kept from get_latest
    # (accounts/key_cache.py)
    assert len(queries) == 2, queries
    [change] = [sql for sql in queries if "UPDATE" in sql]
    assert "INSERT INTO" in change
    assert entry.history.count() == 2


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
