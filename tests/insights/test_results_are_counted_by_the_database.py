"""Results are grouped queries: their number does not grow with the events, and no event row reaches Python."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .world import epoch

pytestmark = pytest.mark.django_db

RANGE = {"date_from": epoch("2026-03-02 00:00"), "date_to": epoch("2026-03-12 00:00")}


def results_queries(world, insight) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = world.v2.get(f"/backoffice/v2/insights/{insight}/results", RANGE)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries if "communications_communication" in q["sql"]]


def add_communications(world, people, count: int):
    for n in range(count):
        with world.at(f"2026-03-0{2 + n % 8} {8 + n % 10:02d}:00"):
            world.communication(people[n % len(people)], media=("PHONE", "FACE_TO_FACE", "LETTER")[n % 3])


def test_the_queries_stay_the_same_as_the_events_grow(world):
    people = [world.contact() for _ in range(4)]
    insight = world.insight(
        [{"event": "COMMUNICATION_CREATED"}, {"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS"}],
        filters=[{"property": "CONTACT_TYPE", "operator": "EQUALS", "values": ["PERSON"]}],
        breakdowns=["COMMUNICATION_MEDIA"],
        limit=2,
    )
    add_communications(world, people, 6)
    few = results_queries(world, insight)
    add_communications(world, people, 60)
    many = results_queries(world, insight)

    # Per event: the breakdown's ranking and the buckets; unique contacts add their total over the range.
    assert len(few) == len(many) == 2 + 3
    assert all("GROUP BY" in sql for sql in many)
    assert sum("COUNT(DISTINCT" in sql for sql in many) == 3
    assert all("LIMIT 3" in sql for sql in many if "ORDER BY" in sql)
