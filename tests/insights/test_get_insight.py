"""GET /insights/{id}: everything the insight is made of."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_whole_insight(backoffice):
    insight = backoffice.post(
        "/backoffice/v2/insights", {"name": "Returned mail", "description": "Back"}, format="json"
    ).json()["id"]
    backoffice.post(
        f"/backoffice/v2/insights/{insight}/events",
        {"events": [{"event": "POSTAL_LETTER_RETURNED", "measurement": "TOTAL_AMOUNT", "name": "Postage lost"}]},
        format="json",
    )
    backoffice.post(
        f"/backoffice/v2/insights/{insight}/filters",
        {"filters": [{"property": "AMOUNT", "operator": "BETWEEN", "values": [0.5, "5"]}]},
        format="json",
    )
    backoffice.post(
        f"/backoffice/v2/insights/{insight}/breakdowns",
        {"breakdowns": [{"dimension": "POSTAL_ACCOUNT"}], "limit": 5},
        format="json",
    )

    response = backoffice.get(f"/backoffice/v2/insights/{insight}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == insight
    assert (body["name"], body["description"]) == ("Returned mail", "Back")
    assert body["events"] == [
        {"event": "POSTAL_LETTER_RETURNED", "measurement": "TOTAL_AMOUNT", "name": "Postage lost"}
    ]
    assert body["filters"] == [{"property": "AMOUNT", "operator": "BETWEEN", "values": [0.5, 5]}]
    assert body["breakdowns"] == [{"dimension": "POSTAL_ACCOUNT"}]
    assert body["breakdown_limit"] == 5
    assert body["created_by"]["name"] == "test key"
    assert isinstance(body["created_on"], int) and body["updated_on"] >= body["created_on"]


def test_a_test_key_never_sees_a_live_insight(backoffice, backoffice_test_mode):
    insight = backoffice.post("/backoffice/v2/insights", {"name": "Live"}, format="json").json()["id"]

    response = backoffice_test_mode.get(f"/backoffice/v2/insights/{insight}")

    assert response.status_code == 404
    assert response.json()["parameters"] == ["insight", insight]
