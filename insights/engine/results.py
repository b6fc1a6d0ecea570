"""An insight's series: per event and breakdown value, one number per bucket, counted by the database.

Per event, at most three grouped queries: with breakdowns, the values ranked by the measurement (the top `limit`
are kept, the rest become OTHER); the buckets; and for UNIQUE_CONTACTS the total over the whole period (unique
contacts do not add up across buckets). No event row is loaded into Python.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from django.db.models import Case, Count, DateTimeField, DecimalField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Trunc

from ..catalogue import EVENTS, Event, Measurement
from ..definition import Definition, EventChoice
from ..periods import Period, epoch
from .rows import alias, event_rows

OTHER = "OTHER"
OTHER_SERIES = -1
TRUNC_KINDS = {"DAY": "day", "WEEK": "week", "MONTH": "month"}


@dataclass
class Series:
    choice: EventChoice
    breakdown: dict | None
    total: int | float
    values: list

    @property
    def is_other(self) -> bool:
        return bool(self.breakdown) and all(value == OTHER for value in self.breakdown.values())


@dataclass
class Results:
    period: Period
    buckets: list
    series: list[Series]
    has_more: bool
    definition: Definition

    def as_json(self, insight_id) -> dict:
        stamps = [epoch(start) for start in self.buckets]
        return {
            "insight_id": str(insight_id),
            "date_from": epoch(self.period.start),
            "date_to": epoch(self.period.end),
            "interval": str(self.period.interval),
            "content": [
                {
                    "event": s.choice.event,
                    "name": s.choice.name,
                    "measurement": s.choice.measurement,
                    "breakdown": s.breakdown,
                    "total": s.total,
                    "data": [{"timestamp": t, "value": v} for t, v in zip(stamps, s.values, strict=True)],
                }
                for s in self.series
            ],
            "has_more": self.has_more,
        }


def compute_results(definition: Definition, period: Period, is_test: bool) -> Results:
    buckets = period.buckets()
    series, has_more = [], False
    for choice in definition.events:
        event_series, overflow = _event_series(choice, definition, period, buckets, is_test)
        series.extend(event_series)
        has_more = has_more or overflow
    return Results(period, buckets, series, has_more, definition)


def _event_series(choice: EventChoice, definition: Definition, period: Period, buckets, is_test):
    event = EVENTS[choice.event]
    rows = event_rows(event, definition.filters, period, is_test)
    dimensions = {alias(name): event.expression(name) for name in definition.breakdowns}
    combos, overflow = [], False
    if dimensions:
        ranked = (
            rows.annotate(**dimensions)
            .values(*dimensions)
            .annotate(metric=_rank_metric(choice.measurement, event))
            .order_by("-metric", *dimensions)[: definition.limit + 1]
        )
        ranked = [tuple(row[name] for name in dimensions) for row in ranked]
        combos, overflow = ranked[: definition.limit], len(ranked) > definition.limit
        if not combos:
            return [], False
        cases = [When(_combo(dimensions, combo), then=Value(i)) for i, combo in enumerate(combos)]
        rows = rows.alias(**dimensions).annotate(
            series=Case(*cases, default=Value(OTHER_SERIES), output_field=IntegerField())
        )
    group = ("series",) if dimensions else ()
    aggregates = _aggregates(choice.measurement, event)
    trunc = Trunc(event.timestamp, TRUNC_KINDS[period.interval], output_field=DateTimeField(), tzinfo=UTC)
    grouped = rows.annotate(bucket=trunc).values("bucket", *group).annotate(**aggregates).order_by()

    position = {epoch(start): i for i, start in enumerate(buckets)}
    keys = list(range(len(combos))) if dimensions else [None]
    cells = {key: [None] * len(buckets) for key in keys}
    for row in grouped:
        key = row["series"] if dimensions else None
        if key == OTHER_SERIES:
            overflow = True
        cells.setdefault(key, [None] * len(buckets))[position[epoch(row["bucket"])]] = row
    if overflow:
        cells.setdefault(OTHER_SERIES, [None] * len(buckets))
    unique_totals = _unique_totals(rows, event, group) if choice.measurement == Measurement.UNIQUE_CONTACTS else {}

    series = []
    for key, row_per_bucket in cells.items():
        breakdown = None
        if dimensions:
            names = definition.breakdowns
            values = [OTHER] * len(names) if key == OTHER_SERIES else [_wire(v) for v in combos[key]]
            breakdown = dict(zip(names, values, strict=True))
        values = [_bucket_value(choice.measurement, row) for row in row_per_bucket]
        total = _total(choice.measurement, row_per_bucket, unique_totals.get(key, 0))
        series.append(Series(choice, breakdown, total, values))
    return series, overflow


def _combo(dimensions: dict, combo: tuple) -> Q:
    condition = Q()
    for name, value in zip(dimensions, combo, strict=True):
        condition &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return condition


def _amount(event: Event):
    return event.expression("AMOUNT")


def _aggregates(measurement: str, event: Event) -> dict:
    if measurement == Measurement.COUNT:
        return {"n": Count("pk")}
    if measurement == Measurement.UNIQUE_CONTACTS:
        return {"n": Count(event.contact_id, distinct=True)}
    if measurement == Measurement.TOTAL_AMOUNT:
        return {"s": Sum(_amount(event))}
    return {"s": Sum(_amount(event)), "c": Count(_amount(event))}


def _rank_metric(measurement: str, event: Event):
    """What breakdown values are ranked by: the measurement itself, except that averages are ranked by how many
    events carry an amount, so one large event does not outrank a busy value."""
    if measurement == Measurement.COUNT:
        return Count("pk")
    if measurement == Measurement.UNIQUE_CONTACTS:
        return Count(event.contact_id, distinct=True)
    if measurement == Measurement.TOTAL_AMOUNT:
        return Coalesce(Sum(_amount(event)), Value(Decimal(0)), output_field=DecimalField())
    return Count(_amount(event))


def _unique_totals(rows, event: Event, group: tuple) -> dict:
    distinct = Count(event.contact_id, distinct=True)
    if not group:
        return {None: rows.aggregate(n=distinct)["n"]}
    return {row["series"]: row["n"] for row in rows.values("series").annotate(n=distinct).order_by()}


def _bucket_value(measurement: str, row):
    if row is None:
        return 0
    if measurement in (Measurement.COUNT, Measurement.UNIQUE_CONTACTS):
        return row["n"]
    if measurement == Measurement.TOTAL_AMOUNT:
        return _money(row["s"])
    return _money(row["s"] / row["c"]) if row["c"] else 0


def _total(measurement: str, rows, unique_total: int):
    present = [row for row in rows if row is not None]
    if measurement == Measurement.COUNT:
        return sum(row["n"] for row in present)
    if measurement == Measurement.UNIQUE_CONTACTS:
        return unique_total
    amount = sum((Decimal(row["s"] or 0) for row in present), Decimal(0))
    if measurement == Measurement.TOTAL_AMOUNT:
        return _money(amount)
    counted = sum(row["c"] for row in present)
    return _money(amount / counted) if counted else 0


def _money(amount) -> float:
    return float(round(Decimal(amount or 0), 2))


def _wire(value):
    return str(value) if isinstance(value, uuid.UUID) else value
