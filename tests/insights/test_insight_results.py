"""GET /insights/{id}/results: each measurement, a filter of each kind, breakdowns with OTHER, empty buckets —
every number compared with a count the test makes itself over the records it made through the APIs."""

from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings

from .world import epoch, series, values

pytestmark = pytest.mark.django_db

DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"]
RANGE = {"date_from": epoch("2026-03-02 00:00"), "date_to": epoch("2026-03-07 00:00")}
# Day by day: (contact, media, category). Days 3 and 5 have nothing.
PLAN = {
    0: [("ann", "PHONE", "billing"), ("ann", "EMAIL", "billing"), ("bob", "PHONE", "outage"), ("acme", "SMS", None)],
    1: [("ann", "PHONE", "billing"), ("dora", "FACE_TO_FACE", "sales"), ("acme", "PHONE", "billing")],
    3: [("bob", "LETTER", "outage"), ("bob", "PHONE", "outage"), ("acme", "PHONE", "misc"), ("ann", "PHONE", "sales")],
}


@pytest.fixture
def made(world):
    """The communications of PLAN, and the list the test counts by itself."""
    with world.at("2026-03-01 09:00"):
        people = {
            "ann": world.contact(country="CYP"),
            "bob": world.contact(country="GRC"),
            "acme": world.contact(company=True, country="NOR"),
            "dora": world.contact(country=None),
        }
        categories = {name: world.category(name) for name in ("billing", "outage", "sales", "misc")}
    records = []
    for index, entries in PLAN.items():
        with world.at(f"{DAYS[index]} 12:00"):
            for person, media, category in entries:
                extra = {"category_identifier": {"id": categories[category]}} if category else {}
                world.communication(people[person], media=media, **extra)
                records.append({"day": index, "contact": person, "media": media, "category": category})
    world.people, world.categories = people, categories
    return records


def per_day(records, key=lambda r: True, unique=False) -> list[int]:
    chosen = [r for r in records if key(r)]
    if unique:
        return [len({r["contact"] for r in chosen if r["day"] == d}) for d in range(len(DAYS))]
    counts = Counter(r["day"] for r in chosen)
    return [counts[d] for d in range(len(DAYS))]


def test_count_per_day_with_every_empty_day_present(world, made):
    insight = world.insight([{"event": "COMMUNICATION_CREATED", "measurement": "COUNT", "name": "All"}])

    answer = world.results(insight, **RANGE)

    item = series(answer, event="COMMUNICATION_CREATED")
    assert values(item) == per_day(made) == [4, 3, 0, 4, 0]
    assert [point["timestamp"] for point in item["data"]] == [epoch(f"{d} 00:00") for d in DAYS]
    assert (item["name"], item["measurement"], item["breakdown"], item["total"]) == ("All", "COUNT", None, len(made))
    assert (answer["insight_id"], answer["interval"], answer["has_more"]) == (insight, "DAY", False)
    assert (answer["date_from"], answer["date_to"]) == (RANGE["date_from"], RANGE["date_to"])


def test_unique_contacts_per_day_and_over_the_whole_range(world, made):
    insight = world.insight([{"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS"}])

    item = series(world.results(insight, **RANGE), event="COMMUNICATION_CREATED")

    assert values(item) == per_day(made, unique=True) == [3, 3, 0, 3, 0]
    # The total is the contacts of the whole range, not the sum of the days (each of the four came more than once).
    assert item["total"] == len({r["contact"] for r in made}) == 4


def test_amounts_total_and_average(world):
    prices = settings.POSTAL_PRICES
    plan = {0: ["POST", "POST", "EMAIL"], 2: ["SMS"], 3: ["EMAIL", "POST"]}
    world.postal_account("ABC12345", contact=world.contact())
    for index, transports in plan.items():
        with world.at(f"{DAYS[index]} 08:00"):
            for n, transport in enumerate(transports):
                world.postal_letters("ABC12345", [f"ref-{index}-{n}"], transport=transport)
    insight = world.insight(
        [
            {"event": "POSTAL_LETTER_RECEIVED", "measurement": "TOTAL_AMOUNT", "name": "Postage"},
            {"event": "POSTAL_LETTER_RECEIVED", "measurement": "AVERAGE_AMOUNT", "name": "Average"},
        ]
    )

    answer = world.results(insight, **RANGE)

    paid = {d: [Decimal(prices[t]) for t in plan.get(d, [])] for d in range(len(DAYS))}
    total, average = series(answer, name="Postage"), series(answer, name="Average")
    assert values(total) == [float(sum(paid[d])) for d in range(len(DAYS))]
    assert values(average) == [float(round(sum(paid[d]) / len(paid[d]), 2)) if paid[d] else 0 for d in paid]
    everything = [price for day in paid.values() for price in day]
    assert total["total"] == float(sum(everything))
    # The average over the range is recomputed from every letter, not averaged from the days' averages.
    assert average["total"] == float(round(sum(everything) / len(everything), 2))


CHOICE_FILTERS = [
    ({"operator": "EQUALS", "values": ["PHONE"]}, lambda r: r["media"] == "PHONE"),
    ({"operator": "NOT_EQUALS", "values": ["PHONE"]}, lambda r: r["media"] != "PHONE"),
    ({"operator": "IN", "values": ["SMS", "LETTER"]}, lambda r: r["media"] in ("SMS", "LETTER")),
    ({"operator": "NOT_IN", "values": ["SMS", "LETTER"]}, lambda r: r["media"] not in ("SMS", "LETTER")),
]


@pytest.mark.parametrize(("condition", "expected"), CHOICE_FILTERS, ids=[c["operator"] for c, _ in CHOICE_FILTERS])
def test_a_filter_on_a_choice(world, made, condition, expected):
    insight = world.insight([{"event": "COMMUNICATION_CREATED"}], [{"property": "COMMUNICATION_MEDIA", **condition}])
    assert values(series(world.results(insight, **RANGE), event="COMMUNICATION_CREATED")) == per_day(made, expected)


def test_a_filter_on_a_code_contains_without_regard_to_case(world, made):
    insight = world.insight(
        [{"event": "COMMUNICATION_CREATED"}], [{"property": "CONTACT_COUNTRY", "operator": "CONTAINS", "values": ["r"]}]
    )
    expected = per_day(made, lambda r: r["contact"] in ("bob", "acme"))  # GRC and NOR
    assert values(series(world.results(insight, **RANGE), event="COMMUNICATION_CREATED")) == expected


def test_a_filter_on_an_identifier_and_an_unset_property(world, made):
    ann = world.people["ann"]
    by_id = world.insight(
        [{"event": "COMMUNICATION_CREATED"}], [{"property": "CONTACT_ID", "operator": "EQUALS", "values": [ann]}]
    )
    no_category = world.insight(
        [{"event": "COMMUNICATION_CREATED"}], [{"property": "COMMUNICATION_CATEGORY", "operator": "IS_NOT_SET"}]
    )
    some_category = world.insight(
        [{"event": "COMMUNICATION_CREATED"}], [{"property": "COMMUNICATION_CATEGORY", "operator": "IS_SET"}]
    )
    no_country = world.insight(
        [{"event": "COMMUNICATION_CREATED"}], [{"property": "CONTACT_COUNTRY", "operator": "IS_NOT_SET"}]
    )

    def counted(insight):
        return values(series(world.results(insight, **RANGE), event="COMMUNICATION_CREATED"))

    assert counted(by_id) == per_day(made, lambda r: r["contact"] == "ann")
    assert counted(no_category) == per_day(made, lambda r: r["category"] is None)
    assert counted(some_category) == per_day(made, lambda r: r["category"] is not None)
    assert counted(no_country) == per_day(made, lambda r: r["contact"] == "dora")


def test_not_equals_also_matches_events_without_the_property(world, made):
    billing = world.categories["billing"]
    insight = world.insight(
        [{"event": "COMMUNICATION_CREATED"}],
        [{"property": "COMMUNICATION_CATEGORY", "operator": "NOT_EQUALS", "values": [billing]}],
    )
    expected = per_day(made, lambda r: r["category"] != "billing")
    assert values(series(world.results(insight, **RANGE), event="COMMUNICATION_CREATED")) == expected


def test_filters_all_hold(world, made):
    insight = world.insight(
        [{"event": "COMMUNICATION_CREATED"}],
        [
            {"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["PHONE"]},
            {"property": "CONTACT_TYPE", "operator": "EQUALS", "values": ["PERSON"]},
        ],
    )
    expected = per_day(made, lambda r: r["media"] == "PHONE" and r["contact"] != "acme")
    assert values(series(world.results(insight, **RANGE), event="COMMUNICATION_CREATED")) == expected


NUMBER_FILTERS = [
    ({"operator": "GREATER_THAN", "values": [0.2]}, lambda price: price > Decimal("0.2")),
    ({"operator": "GREATER_THAN_OR_EQUAL", "values": [0.2]}, lambda price: price >= Decimal("0.2")),
    ({"operator": "LESS_THAN", "values": [0.2]}, lambda price: price < Decimal("0.2")),
    ({"operator": "LESS_THAN_OR_EQUAL", "values": ["0.2"]}, lambda price: price <= Decimal("0.2")),
    ({"operator": "BETWEEN", "values": [0.15, 1.83]}, lambda price: Decimal("0.15") <= price <= Decimal("1.83")),
    ({"operator": "EQUALS", "values": [1.83]}, lambda price: price == Decimal("1.83")),
]


@pytest.mark.parametrize(("condition", "expected"), NUMBER_FILTERS, ids=[c["operator"] for c, _ in NUMBER_FILTERS])
def test_a_filter_on_a_number(world, condition, expected):
    world.postal_account("ABC12345", contact=world.contact())
    transports = ["POST", "EMAIL", "SMS", "POST", "EMAIL"]
    with world.at("2026-03-02 08:00"):
        for n, transport in enumerate(transports):
            world.postal_letters("ABC12345", [f"ref-{n}"], transport=transport)
    prices = settings.POSTAL_PRICES
    insight = world.insight([{"event": "POSTAL_LETTER_RECEIVED"}], [{"property": "AMOUNT", **condition}])

    item = series(world.results(insight, **RANGE), event="POSTAL_LETTER_RECEIVED")

    assert item["total"] == sum(1 for t in transports if expected(Decimal(prices[t])))


def test_a_breakdown_keeps_the_top_values_and_sums_the_rest_into_other(world, made):
    insight = world.insight(
        [{"event": "COMMUNICATION_CREATED"}, {"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS"}],
        breakdowns=["COMMUNICATION_CATEGORY"],
        limit=2,
    )
    ranked = Counter(r["category"] for r in made).most_common()
    assert [name for name, _ in ranked[:2]] == ["billing", "outage"]  # 4 and 3; the rest 2, 1 and 1 (none)

    answer = world.results(insight, **RANGE)

    assert answer["has_more"] is True
    counts = [i for i in answer["content"] if i["measurement"] == "COUNT"]
    assert [i["breakdown"]["COMMUNICATION_CATEGORY"] for i in counts] == [
        world.categories["billing"],
        world.categories["outage"],
        "OTHER",
    ]
    rest = {"sales", "misc", None}
    assert values(counts[0]) == per_day(made, lambda r: r["category"] == "billing")
    assert values(counts[1]) == per_day(made, lambda r: r["category"] == "outage")
    assert values(counts[2]) == per_day(made, lambda r: r["category"] in rest)
    assert counts[2]["total"] == sum(1 for r in made if r["category"] in rest) == 4
    # For unique contacts the values are ranked by their contacts: billing (ann, acme) and sales (dora, ann), then
    # outage, misc and none with one each; OTHER's contacts are counted over its events, not summed over its values.
    reached = {name: len({r["contact"] for r in made if r["category"] == name}) for name in ("billing", "sales")}
    assert reached == {"billing": 2, "sales": 2}
    rest = {"outage", "misc", None}
    other = series(answer, measurement="UNIQUE_CONTACTS", breakdown={"COMMUNICATION_CATEGORY": "OTHER"})
    assert values(other) == per_day(made, lambda r: r["category"] in rest, unique=True)
    assert other["total"] == len({r["contact"] for r in made if r["category"] in rest}) == 2


def test_a_breakdown_within_the_limit_has_no_other_and_shows_unset_values(world, made):
    insight = world.insight([{"event": "COMMUNICATION_CREATED"}], breakdowns=["COMMUNICATION_CATEGORY"], limit=10)

    answer = world.results(insight, **RANGE)

    assert answer["has_more"] is False
    breakdowns = [item["breakdown"]["COMMUNICATION_CATEGORY"] for item in answer["content"]]
    assert "OTHER" not in breakdowns and None in breakdowns
    unset = series(answer, breakdown={"COMMUNICATION_CATEGORY": None})
    assert values(unset) == per_day(made, lambda r: r["category"] is None)
    assert sum(item["total"] for item in answer["content"]) == len(made)


def test_two_breakdowns(world, made):
    insight = world.insight([{"event": "COMMUNICATION_CREATED"}], breakdowns=["CONTACT_TYPE", "COMMUNICATION_MEDIA"])

    answer = world.results(insight, **RANGE)

    pairs = Counter(("COMPANY" if r["contact"] == "acme" else "PERSON", r["media"]) for r in made)
    assert {
        (i["breakdown"]["CONTACT_TYPE"], i["breakdown"]["COMMUNICATION_MEDIA"]): i["total"] for i in answer["content"]
    } == (dict(pairs))
    # Ranked by count, ties by value.
    assert answer["content"][0]["breakdown"] == {"CONTACT_TYPE": "PERSON", "COMMUNICATION_MEDIA": "PHONE"}


def test_weeks_and_months_start_on_mondays_and_first_days(world, made):
    insight = world.insight([{"event": "COMMUNICATION_CREATED"}])
    weeks = world.results(
        insight, date_from=epoch("2026-02-25 00:00"), date_to=epoch("2026-03-10 00:00"), interval="WEEK"
    )
    months = world.results(
        insight, date_from=epoch("2026-01-15 00:00"), date_to=epoch("2026-04-01 00:00"), interval="MONTH"
    )

    week = series(weeks, event="COMMUNICATION_CREATED")["data"]
    assert [p["timestamp"] for p in week] == [
        epoch(d) for d in ("2026-02-23 00:00", "2026-03-02 00:00", "2026-03-09 00:00")
    ]
    assert [p["value"] for p in week] == [0, len(made), 0]
    month = series(months, event="COMMUNICATION_CREATED")["data"]
    assert [p["timestamp"] for p in month] == [
        epoch(d) for d in ("2026-01-01 00:00", "2026-02-01 00:00", "2026-03-01 00:00")
    ]
    assert [p["value"] for p in month] == [0, 0, len(made)]


def test_events_outside_the_range_are_not_counted(world, made):
    insight = world.insight([{"event": "COMMUNICATION_CREATED"}])
    # From noon on the second day (its events were at noon: included) to noon on the fourth (excluded).
    answer = world.results(insight, date_from=epoch("2026-03-03 12:00"), date_to=epoch("2026-03-05 12:00"))
    item = series(answer, event="COMMUNICATION_CREATED")
    assert values(item) == [3, 0, 0]
    assert item["data"][0]["timestamp"] == epoch("2026-03-03 00:00")


def test_a_test_key_counts_only_test_records(world, test_world, made):
    with test_world.at("2026-03-02 12:00"):
        test_world.communication(test_world.contact())
    live = world.insight([{"event": "COMMUNICATION_CREATED"}])
    trial = test_world.insight([{"event": "COMMUNICATION_CREATED"}])

    assert series(world.results(live, **RANGE), event="COMMUNICATION_CREATED")["total"] == len(made)
    assert series(test_world.results(trial, **RANGE), event="COMMUNICATION_CREATED")["total"] == 1
    assert test_world.v2.get(f"/backoffice/v2/insights/{live}/results").status_code == 404
