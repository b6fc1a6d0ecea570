"""GET /insights: search, sort, order and paging in the family's `content`/`paging` shape."""

import pytest
import time_machine

from .world import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(backoffice):
    ids = {}
    for n, name in enumerate(["Returned mail", "Email traffic", "Queue rejections"]):
        with time_machine.travel(day(f"2026-03-0{n + 2} 10:00"), tick=False):
            ids[name] = backoffice.post("/backoffice/v2/insights", {"name": name}, format="json").json()["id"]
    backoffice.post(
        f"/backoffice/v2/insights/{ids['Email traffic']}/events",
        {"events": [{"event": "MESSAGE_SENT", "measurement": "COUNT", "name": "Sent"}]},
        format="json",
    )
    return ids


def test_newest_first_with_the_events(backoffice, three):
    answer = backoffice.get("/backoffice/v2/insights").json()

    assert [entry["name"] for entry in answer["content"]] == ["Queue rejections", "Email traffic", "Returned mail"]
    assert answer["paging"] == {"page": 1, "size": 10, "total": 3}
    traffic = answer["content"][1]
    assert set(traffic) == {"id", "name", "description", "events", "created_on", "updated_on"}
    assert traffic["events"] == [{"event": "MESSAGE_SENT", "measurement": "COUNT", "name": "Sent"}]
    assert answer["content"][2]["created_on"] == 1772445600  # 2026-03-02 10:00 UTC


def test_search_sort_and_paging(backoffice, three):
    found = backoffice.get("/backoffice/v2/insights", {"search_value": "MAIL"}).json()
    assert [entry["name"] for entry in found["content"]] == ["Email traffic", "Returned mail"]

    by_name = backoffice.get("/backoffice/v2/insights/", {"sort": "NAME", "order": "ASC", "size": 2, "page": 2}).json()
    assert [entry["name"] for entry in by_name["content"]] == ["Returned mail"]
    assert by_name["paging"] == {"page": 2, "size": 2, "total": 3}

    updated = backoffice.get("/backoffice/v2/insights", {"sort": "UPDATED_DATE"}).json()
    assert updated["content"][0]["id"] == three["Email traffic"]


def test_a_key_lists_only_its_modes_insights(backoffice_test_mode, three):
    assert backoffice_test_mode.get("/backoffice/v2/insights").json()["paging"]["total"] == 0


@pytest.mark.parametrize("query", [{"sort": "SIZE"}, {"order": "UP"}, {"size": "101"}, {"page": "0"}])
def test_bad_list_parameters_are_refused(backoffice, query):
    response = backoffice.get("/backoffice/v2/insights", query)
    assert response.status_code == 400
    assert response.json()["parameters"][0] == next(iter(query))


def test_reading_needs_the_read_scope(client_with):
    assert client_with("backoffice.read").get("/backoffice/v2/insights").status_code == 200
    assert client_with("backoffice.write").get("/backoffice/v2/insights").status_code == 403
