"""GET communications/queue/show."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_entry_is_shown_in_the_seed_shape(crm, make_queue_entry):
    entry = make_queue_entry(number="1")

    response = crm.get("communications/queue/show", communication_queue_identifier="number=1")

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {
        "log_information",
        "error_code",
        "error_description",
        "life_cycle_state",
        "communication",
        "number",
        "id",
        "communication_queue_external_system",
    }
    assert data["communication_queue_external_system"] == {
        "name": "CONAX Mail message",
        "id": entry.external_system.id.hex.upper(),
        "alternative_code": "CW5 MAIL",
    }
    assert (data["error_code"], data["error_description"], data["life_cycle_state"]) == (None, None, "PENDING")
    assert data["communication"]["life_cycle_state"] == "COMPLETED"


def test_by_id(crm, make_queue_entry):
    entry = make_queue_entry()
    response = crm.get("communications/queue/show", communication_queue_identifier=f"id={entry.id.hex.upper()}")
    assert response.json()["data"]["number"] == entry.number


@pytest.mark.parametrize(
    ("params", "code"),
    [({}, "MISSING_PARAMETER"), ({"communication_queue_identifier": "number=99"}, "NOT_FOUND")],
)
def test_errors(crm, make_queue_entry, params, code):
    make_queue_entry()
    assert crm.get("communications/queue/show", **params).json()["status"]["code"] == code


def test_test_mode_keys_see_no_live_entries(crm_test_mode, make_queue_entry):
    entry = make_queue_entry()
    response = crm_test_mode.get("communications/queue/show", communication_queue_identifier=f"number={entry.number}")
    assert response.status_code == 404
