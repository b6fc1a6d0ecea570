"""The period of results, preview and exports: dates, a frequency, or the last 30 days; bad ones refused."""

import pytest
import time_machine

from .world import day, epoch, series

pytestmark = pytest.mark.django_db


@pytest.fixture
def insight(world):
    return world.insight([{"event": "CONTACT_CREATED"}])


def test_by_default_the_last_30_days_by_day(world, insight):
    with time_machine.travel(day("2026-03-20 15:30"), tick=False):
        answer = world.results(insight)
    stamps = [p["timestamp"] for p in series(answer, event="CONTACT_CREATED")["data"]]
    assert len(stamps) == 30
    assert (stamps[0], stamps[-1]) == (epoch("2026-02-19 00:00"), epoch("2026-03-20 00:00"))
    assert (answer["date_from"], answer["date_to"]) == (epoch("2026-02-19 00:00"), epoch("2026-03-20 15:30"))


@pytest.mark.parametrize(
    ("frequency", "start", "end", "months"),
    [
        ("THIS_MONTH", "2026-05-01 00:00", "2026-05-20 15:30", ["2026-05-01"]),
        ("LAST_MONTH", "2026-04-01 00:00", "2026-05-01 00:00", ["2026-04-01"]),
        ("LAST_QUARTER", "2026-01-01 00:00", "2026-04-01 00:00", ["2026-01-01", "2026-02-01", "2026-03-01"]),
        ("LAST_SIX_MONTHS", "2025-12-01 00:00", "2026-05-20 15:30", None),
    ],
)
def test_a_frequency_instead_of_dates(world, insight, frequency, start, end, months):
    with time_machine.travel(day("2026-05-20 15:30"), tick=False):
        answer = world.results(insight, frequency=frequency, interval="MONTH")
    assert (answer["date_from"], answer["date_to"]) == (epoch(start), epoch(end))
    stamps = [p["timestamp"] for p in series(answer, event="CONTACT_CREATED")["data"]]
    if months:
        assert stamps == [epoch(f"{m} 00:00") for m in months]
    else:
        assert len(stamps) == 6


def test_four_hundred_buckets_at_most(world, insight):
    start = epoch("2025-01-01 00:00")
    assert (
        world.v2.get(
            f"/backoffice/v2/insights/{insight}/results", {"date_from": start, "date_to": start + 400 * 86400}
        ).status_code
        == 200
    )
    response = world.v2.get(
        f"/backoffice/v2/insights/{insight}/results", {"date_from": start, "date_to": start + 401 * 86400}
    )
    assert response.status_code == 400
    assert response.json()["parameters"][0] == "interval"
    assert "401 buckets" in response.json()["message"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"date_from": 1717200000, "date_to": 1717200000}, "date_from"),
        ({"date_from": 1717200001, "date_to": 1717200000}, "date_from"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "1.5"}, "date_to"),
        ({"date_from": -86400}, "date_from"),
        ({"date_to": 253402300799}, "date_to"),
        ({"interval": "HOUR"}, "interval"),
        ({"frequency": "LAST_YEAR"}, "frequency"),
        ({"frequency": "LAST_MONTH", "date_from": 1717200000}, "frequency"),
        ({"date_from": 0, "date_to": 2000000000, "interval": "DAY"}, "interval"),
    ],
)
def test_a_bad_period_is_refused(world, insight, query, parameter):
    response = world.v2.get(f"/backoffice/v2/insights/{insight}/results", query)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert response.json()["parameters"][0] == parameter


def test_an_insight_without_events_has_no_results(world):
    empty = world.v2.post("/backoffice/v2/insights", {"name": "Empty"}, format="json").json()["id"]
    response = world.v2.get(f"/backoffice/v2/insights/{empty}/results")
    assert response.status_code == 400
    assert response.json()["parameters"] == ["events"]
    assert "no events" in response.json()["message"]


def test_up_to_now_includes_this_very_second(world, insight):
    with time_machine.travel(day("2026-03-20 15:30:00.250"), tick=False):
        world.contact()
    with time_machine.travel(day("2026-03-20 15:30:00.750"), tick=False):
        answer = world.results(insight)
    assert answer["date_to"] == epoch("2026-03-20 15:30:01")
    assert series(answer, event="CONTACT_CREATED")["total"] == 1
