"""POST communications/set_as_viewed: COMPLETED only; viewed_on defaults to now."""

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def test_seed_example_sets_viewed_now(crm, make_communication):
    make_communication(number="2781", state="COMPLETED", media="PHONE", subject="Access Details")
    body = '{\n"token":"{{token}}",\n"communication_identifier":{"number":"2781"}\n}'

    with time_machine.travel("2017-05-22T09:42:03Z", tick=False):
        response = crm.post("communications/set_as_viewed", body)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["viewed_on"] == "Mon May 22 12:42:03 EEST 2017"
    assert (data["viewed"], data["number"], data["subject"], data["life_cycle_state"]) == (
        1,
        "2781",
        "Access Details",
        "COMPLETED",
    )


def test_a_given_viewed_on_is_kept(crm, make_communication):
    communication = make_communication(state="COMPLETED", media="PHONE")

    response = crm.post(
        "communications/set_as_viewed",
        {"communication_identifier": {"id": communication.id.hex.upper()}, "viewed_on": "2024-01-15T08:30:00"},
    )

    assert response.json()["data"]["viewed_on"] == "Mon Jan 15 08:30:00 EET 2024"


@pytest.mark.parametrize(
    ("state", "viewed_on", "code"),
    [("DRAFT", None, "INVALID_STATE_TRANSITION"), ("COMPLETED", "soon", "INVALID_VALUE")],
)
def test_errors_leave_it_unviewed(crm, make_communication, state, viewed_on, code):
    communication = make_communication(state=state, media="PHONE")
    body = {"communication_identifier": {"number": communication.number}}
    if viewed_on:
        body["viewed_on"] = viewed_on

    response = crm.post("communications/set_as_viewed", body)

    assert response.status_code == 400
    assert response.json()["status"]["code"] == code
    communication.refresh_from_db()
    assert communication.viewed_on is None
