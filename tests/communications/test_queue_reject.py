"""POST communications/queue/reject: PENDING → REJECTED with a mandatory error code and description."""

import pytest

pytestmark = pytest.mark.django_db


def test_seed_example_rejects_a_pending_entry(crm, make_queue_entry):
    entry = make_queue_entry(number="9")
    body = """{
"token" : "{{token}}",
"communication_queue_identifier" : { "number" : "9" },
"error_code" : "01",
"error_description" : "Communication definition is not configured."
}"""

    response = crm.post("communications/queue/reject", body)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["life_cycle_state"], data["error_code"], data["error_description"]) == (
        "REJECTED",
        "01",
        "Communication definition is not configured.",
    )
    entry.refresh_from_db()
    assert entry.rejected_on is not None and entry.processed_on is None


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"error_description": "why"}, "MISSING_PARAMETER", "error_code"),
        ({"error_code": "01"}, "MISSING_PARAMETER", "error_description"),
        ({"error_code": "", "error_description": "why"}, "MISSING_PARAMETER", "error_code"),
    ],
)
def test_error_code_and_description_are_mandatory(crm, make_queue_entry, body, code, field):
    entry = make_queue_entry()

    response = crm.post("communications/queue/reject", {"communication_queue_identifier": {"id": entry.id.hex}, **body})

    assert response.status_code == 400
    assert response.json()["status"]["code"] == code
    assert field in response.json()["status"]["message"]
    entry.refresh_from_db()
    assert (entry.state, entry.error_code) == ("PENDING", None)


def test_a_completed_entry_cannot_be_rejected(crm, make_queue_entry):
    entry = make_queue_entry(state="COMPLETED")

    response = crm.post(
        "communications/queue/reject",
        {"communication_queue_identifier": {"number": entry.number}, "error_code": "1", "error_description": "x"},
    )

    assert response.status_code == 400
    assert response.json()["status"]["code"] == "INVALID_STATE_TRANSITION"
    entry.refresh_from_db()
    assert (entry.state, entry.error_code) == ("COMPLETED", None)
