"""The events behind an insight one by one, newest first: the preview's sample and the RECORDS export."""

import heapq
from collections.abc import Iterator
from itertools import islice

from django.db.models import DecimalField, F, Value

from accounts.errors import InvalidValue
from accounts.models import Contact

from ..catalogue import EVENTS, Event
from ..definition import Definition
from ..periods import Period, epoch
from .rows import event_rows

SAMPLE_SIZE = 10
MAX_RECORDS = 100_000
CHUNK = 2_000
CONTACT_FIELDS = ("code", "contact_type", "first_name", "middle_name", "last_name", "company_name")


def _events(definition: Definition) -> list[Event]:
    # An event asked for twice (say as a count and as unique contacts) has the same records: listed once.
    return [EVENTS[name] for name in dict.fromkeys(choice.event for choice in definition.events)]


def _records_of(event: Event, definition: Definition, period: Period, is_test: bool):
    contact = {f"c_{name}": F(f"{event.contact}{name}") for name in ("id", *CONTACT_FIELDS)}
    return (
        event_rows(event, definition.filters, period, is_test)
        .order_by(f"-{event.timestamp}", f"-{event.record_id}")
        .values(
            occurred=F(event.timestamp),
            record=F(event.record_id),
            amount=event.expression("AMOUNT") if event.amount else Value(None, output_field=DecimalField()),
            **contact,
        )
    )


def _record(event: Event, row: dict) -> dict:
    contact = None
    if row["c_id"] is not None:
        person = Contact(**{name: row[f"c_{name}"] or "" for name in CONTACT_FIELDS})
        contact = {"id": str(row["c_id"]), "name": person.full_name, "code": row["c_code"]}
    amount = row["amount"]
    return {
        "event": event.name,
        "occurred_on": epoch(row["occurred"]),
        "contact": contact,
        "record": {"type": event.record_type, "id": str(row["record"])},
        "amount": None if amount is None else float(amount),
    }


def _newest_first(streams: list[Iterator[dict]]) -> Iterator[dict]:
    return heapq.merge(*streams, key=lambda record: record["occurred_on"], reverse=True)


def sample(definition: Definition, period: Period, is_test: bool) -> list[dict]:
    """The first rows of the RECORDS export: the newest matching events, whichever event they are."""
    streams = [
        [_record(event, row) for row in _records_of(event, definition, period, is_test)[:SAMPLE_SIZE]]
        for event in _events(definition)
    ]
    return list(islice(_newest_first([iter(s) for s in streams]), SAMPLE_SIZE))


def check_record_count(definition: Definition, period: Period, is_test: bool) -> int:
    count = sum(event_rows(e, definition.filters, period, is_test).count() for e in _events(definition))
    if count > MAX_RECORDS:
        raise InvalidValue(
            f"date_from: {count:,} events match, more than the {MAX_RECORDS:,} an export of records may hold; "
            "narrow the dates (or the filters).",
            field="date_from",
        )
    return count


def records(definition: Definition, period: Period, is_test: bool) -> Iterator[dict]:
    """Every matching event, newest first, read from the database in chunks."""
    return _newest_first([_stream(event, definition, period, is_test) for event in _events(definition)])


def _stream(event: Event, definition: Definition, period: Period, is_test: bool) -> Iterator[dict]:
    for row in _records_of(event, definition, period, is_test).iterator(chunk_size=CHUNK):
        yield _record(event, row)
