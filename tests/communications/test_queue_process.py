"""POST communications/queue/process: PENDING → COMPLETED."""

import pytest

pytestmark = pytest.mark.django_db


def test_seed_example_processes_a_pending_entry(crm, make_queue_entry):
    entry = make_queue_entry(number="1")
    body = '{\n"token" : "{{token}}",\n"communication_queue_identifier" : { "number" : "1" }\n}'

    response = crm.post("communications/queue/process", body)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["life_cycle_state"], data["number"], data["id"]) == ("COMPLETED", "1", entry.id.hex.upper())
    assert data["communication"]["number"] == entry.communication.number
    assert data["communication_queue_external_system"]["name"] == "CONAX Mail message"
    assert data["log_information"]["updated_by_user"]["person_name"] == "test key"
    entry.refresh_from_db()
    assert entry.state == "COMPLETED"
    assert entry.processed_on is not None and entry.rejected_on is None


def test_seed_example_with_fields_set(crm, make_queue_entry):
    entry = make_queue_entry(number="2", subject=" Information for subscription #subscription.number")
    body = (
        '{"token":"{{token}}", "communication_queue_identifier" : { "number" : "2" }, '
        '"fields_set":"number,id,communication"}'
    )

    response = crm.post("communications/queue/process", body)

    data = response.json()["data"]
    assert set(data) == {"number", "id", "communication"}
    assert data["communication"]["subject"] == " Information for subscription #subscription.number"
    assert set(data["communication"]) == {"life_cycle_state", "number", "id", "subject", "contact_information"}
    assert data["id"] == entry.id.hex.upper()


@pytest.mark.parametrize("state", ["COMPLETED", "REJECTED", "COMPLETED_AND_REMOVED"])
def test_only_pending_entries_can_be_processed(crm, make_queue_entry, state):
    entry = make_queue_entry(state=state)

    response = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": entry.number}})

    assert response.status_code == 400
    assert response.json()["status"]["code"] == "INVALID_STATE_TRANSITION"
    assert response.json()["status"]["message"] == (
        f"Queue entry {entry.number} is {state}; only PENDING entries can be processed."
    )
    entry.refresh_from_db()
    assert entry.state == state


def test_an_unknown_entry_is_not_found(crm, make_queue_entry):
    make_queue_entry()
    response = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": "404"}})

    assert response.status_code == 404
    assert response.json()["status"]["code"] == "NOT_FOUND"
