"""POST communications/queue/remove: PENDING or COMPLETED → COMPLETED_AND_REMOVED."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["PENDING", "COMPLETED"])
def test_seed_example_removes_an_entry(crm, make_queue_entry, state):
    make_queue_entry(number="2700", state=state)
    body = '{\n"token":"{{token}}",\n"communication_queue_identifier":{"number":"2700"}\n}'

    response = crm.post("communications/queue/remove", body)

    assert response.status_code == 200, response.content
    assert response.json()["data"]["life_cycle_state"] == "COMPLETED_AND_REMOVED"


@pytest.mark.parametrize("state", ["REJECTED", "COMPLETED_AND_REMOVED"])
def test_rejected_or_removed_entries_cannot_be_removed(crm, make_queue_entry, state):
    entry = make_queue_entry(state=state)

    response = crm.post("communications/queue/remove", {"communication_queue_identifier": {"number": entry.number}})

    assert response.status_code == 400
    assert response.json()["status"]["message"] == (
        f"Queue entry {entry.number} is {state}; only PENDING or COMPLETED entries can be removed."
    )
