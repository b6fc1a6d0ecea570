"""The embedded default (SQLite): the same buckets, measurements, filters, OTHER and analytics as on PostgreSQL."""

import csv
import io

import pytest
from django.conf import settings
from django.db import connection

from .world import epoch, series, values

pytestmark = [pytest.mark.embedded, pytest.mark.django_db]

RANGE = {"date_from": epoch("2026-03-02 00:00"), "date_to": epoch("2026-03-09 00:00")}


def test_insights_work_on_the_embedded_database(world):
    assert connection.vendor == "sqlite"
    with world.at("2026-03-01 09:00"):
        ann, bob, acme = (
            world.contact(country="CYP"),
            world.contact(country="GRC"),
            world.contact(company=True, country=None),
        )
        billing, outage, sales = (world.category(name) for name in ("billing", "outage", "sales"))
    plan = [("02", ann, billing), ("02", ann, billing), ("03", bob, outage), ("05", acme, sales), ("08", bob, billing)]
    for day, person, category in plan:
        with world.at(f"2026-03-{day} 11:00"):
            world.communication(person, category_identifier={"id": category})
    world.postal_account("ABC12345", contact=acme)
    with world.at("2026-03-04 08:00"):
        world.postal_letters("ABC12345", ["r1", "r2"], transport="POST")
        world.postal_letters("ABC12345", ["r3"], transport="EMAIL")

    counted = world.insight(
        [
            {"event": "COMMUNICATION_CREATED"},
            {"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS"},
        ],
        filters=[{"property": "CONTACT_COUNTRY", "operator": "IS_SET"}],
        breakdowns=["COMMUNICATION_CATEGORY"],
        limit=1,
    )
    answer = world.results(counted, **RANGE)
    assert answer["has_more"] is True
    top = series(answer, measurement="COUNT", breakdown={"COMMUNICATION_CATEGORY": billing})
    other = series(answer, measurement="COUNT", breakdown={"COMMUNICATION_CATEGORY": "OTHER"})
    assert values(top) == [2, 0, 0, 0, 0, 0, 1]
    assert values(other) == [0, 1, 0, 0, 0, 0, 0]  # acme has no address, so no country: filtered out
    assert series(answer, measurement="UNIQUE_CONTACTS", breakdown={"COMMUNICATION_CATEGORY": billing})["total"] == 2

    weeks = world.results(counted, **RANGE, interval="WEEK")
    week = series(weeks, measurement="COUNT", breakdown={"COMMUNICATION_CATEGORY": billing})["data"]
    assert week == [{"timestamp": epoch("2026-03-02 00:00"), "value": 3}]

    postage = world.insight(
        [{"event": "POSTAL_LETTER_RECEIVED", "measurement": "AVERAGE_AMOUNT"}],
        filters=[{"property": "AMOUNT", "operator": "GREATER_THAN", "values": [0.5]}],
    )
    average = series(world.results(postage, **RANGE), event="POSTAL_LETTER_RECEIVED")
    post = float(settings.POSTAL_PRICES["POST"])
    assert average["total"] == post and values(average)[2] == post

    preview = world.v2.post(f"/backoffice/v2/insights/{counted}/preview", RANGE, format="json").json()
    assert [r["occurred_on"] for r in preview["sample"]] == [
        epoch(f"2026-03-{d} 11:00") for d in ("08", "03", "02", "02")
    ]

    exported = world.v2.post(f"/backoffice/v2/insights/{counted}/exports", {**RANGE, "type": "RECORDS"}, format="json")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert len(rows) == 1 + 4

    with world.at("2026-03-20 12:00"):
        analytics = world.v2.get(f"/backoffice/v2/contacts/{bob}/analytics", {"frequency": "THIS_MONTH"}).json()
    assert analytics["communication_totals"]["total"] == 2
    assert analytics["communications_per_month"] == [{"timestamp": epoch("2026-03-01 00:00"), "count": 2}]
    assert analytics["last_interaction_on"] == epoch("2026-03-08 11:00")
