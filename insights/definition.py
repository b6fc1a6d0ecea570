"""What an insight charts — its events, filters and breakdowns — and the rules they must keep together.

Every way in (API, admin, preview) gives plain lists as JSON holds them; `parse_*` check them and return typed
parts, raising the domain's errors with the attribute at fault, so nothing is written that the engine cannot run.
"""

import math
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from accounts.errors import InvalidValue, MissingValue

from .catalogue import (
    AMOUNT_MEASUREMENTS,
    EVENTS,
    MANY_VALUES,
    NO_VALUES,
    PROPERTIES,
    TWO_VALUES,
    Kind,
    Measurement,
    Operator,
    measurements_of,
)

MAX_EVENTS = 5
MAX_FILTERS = 10
MAX_BREAKDOWNS = 2
MAX_LIMIT = 50
DEFAULT_LIMIT = 10
MAX_NAME = 100
MAX_VALUES = 100
MAX_TEXT_VALUE = 200


@dataclass(frozen=True)
class EventChoice:
    event: str
    measurement: str
    name: str

    def as_json(self) -> dict:
        return {"event": self.event, "measurement": self.measurement, "name": self.name}


@dataclass(frozen=True)
class Filter:
    property: str
    operator: str
    values: tuple

    def as_json(self) -> dict:
        return {"property": self.property, "operator": self.operator, "values": list(self.values)}


@dataclass(frozen=True)
class Definition:
    events: tuple[EventChoice, ...]
    filters: tuple[Filter, ...] = ()
    breakdowns: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT

    @classmethod
    def stored(cls, events, filters, breakdowns, limit) -> "Definition":
        """From what an insight keeps (checked when it was written)."""
        return cls(
            tuple(EventChoice(**e) for e in events),
            tuple(Filter(f["property"], f["operator"], tuple(f["values"])) for f in filters),
            tuple(breakdowns),
            limit,
        )

    def check(self) -> "Definition":
        """Filters and breakdowns name properties every event has; amounts are asked of events that have one."""
        check_together(self.events, self.filters, self.breakdowns)
        return self


def parse_events(raw) -> tuple[EventChoice, ...]:
    items = _list(raw, "events", 1, MAX_EVENTS)
    return tuple(_event(item, f"events[{i}]") for i, item in enumerate(items))


def _event(item, where: str) -> EventChoice:
    item = _object(item, where)
    name = _text(item, "event", where, required=True)
    if name not in EVENTS:
        raise InvalidValue(
            f"{where}.event: {name} is not an event; use one of {', '.join(EVENTS)}.", field=f"{where}.event"
        )
    measurement = _text(item, "measurement", where) or Measurement.COUNT.value
    allowed = measurements_of(EVENTS[name])
    if measurement not in Measurement.values:
        raise InvalidValue(
            f"{where}.measurement: {measurement} is not a measurement; use one of {', '.join(Measurement.values)}.",
            field=f"{where}.measurement",
        )
    if measurement not in allowed:
        raise InvalidValue(
            f"{where}.measurement: {name} has no amount, so it cannot be measured as {measurement}; "
            f"use {' or '.join(allowed)}.",
            field=f"{where}.measurement",
            parameters=[f"{where}.measurement", name],
        )
    label = _text(item, "name", where) or name
    if len(label) > MAX_NAME:
        raise InvalidValue(f"{where}.name: at most {MAX_NAME} characters.", field=f"{where}.name")
    return EventChoice(name, measurement, label)


def parse_filters(raw) -> tuple[Filter, ...]:
    items = _list(raw, "filters", 0, MAX_FILTERS)
    return tuple(_filter(item, f"filters[{i}]") for i, item in enumerate(items))


def _filter(item, where: str) -> Filter:
    item = _object(item, where)
    name = _text(item, "property", where, required=True)
    prop = PROPERTIES.get(name)
    if prop is None:
        raise InvalidValue(
            f"{where}.property: {name} is not a property; use one of {', '.join(PROPERTIES)}.",
            field=f"{where}.property",
        )
    operator = _text(item, "operator", where, required=True)
    if operator not in Operator.__members__:
        raise InvalidValue(
            f"{where}.operator: {operator} is not an operator; use one of {', '.join(Operator)}.",
            field=f"{where}.operator",
        )
    if operator not in prop.operators:
        raise InvalidValue(
            f"{where}.operator: {name} cannot be compared with {operator}; use one of {', '.join(prop.operators)}.",
            field=f"{where}.operator",
            parameters=[f"{where}.operator", name],
        )
    values = item.get("values")
    values = [] if values is None else values
    if not isinstance(values, list):
        values = [values]
    field = f"{where}.values"
    if operator in NO_VALUES:
        if values:
            raise InvalidValue(f"{field}: {operator} takes no values.", field=field)
        return Filter(name, operator, ())
    if operator in TWO_VALUES and len(values) != 2:
        raise InvalidValue(f"{field}: {operator} takes two values, the lowest and the highest.", field=field)
    if operator in MANY_VALUES and not 1 <= len(values) <= MAX_VALUES:
        raise InvalidValue(f"{field}: {operator} takes 1 to {MAX_VALUES} values.", field=field)
    if operator not in TWO_VALUES | MANY_VALUES and len(values) != 1:
        raise InvalidValue(f"{field}: {operator} takes one value.", field=field)
    checked = tuple(_value(prop, value, field) for value in values)
    if operator in TWO_VALUES and checked[0] > checked[1]:
        raise InvalidValue(f"{field}: the first value of BETWEEN is its lowest, the second its highest.", field=field)
    return Filter(name, operator, checked)


def _value(prop, value, field: str):
    """One value, as the property's kind has them; numbers are kept as JSON numbers."""
    if prop.kind == Kind.NUMBER:
        if isinstance(value, bool):
            raise InvalidValue(f"{field}: {prop.name} takes numbers.", field=field)
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidValue(f"{field}: {prop.name} takes numbers; {value!r} is not one.", field=field) from None
        if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
            raise InvalidValue(f"{field}: {value!r} is not a number {prop.name} can hold.", field=field)
        return int(number) if number == number.to_integral_value() else float(number)
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"{field}: {prop.name} takes non-empty strings.", field=field)
    value = value.strip()
    if prop.kind == Kind.CHOICE:
        allowed = [choice for choice, _ in prop.choices]
        if value not in allowed:
            raise InvalidValue(
                f"{field}: {value} is not a {prop.name}; use one of {', '.join(allowed)}.",
                field=field,
                parameters=[field, value],
            )
        return value
    if prop.kind == Kind.IDENTIFIER:
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise InvalidValue(f"{field}: {prop.name} takes ids (GUIDs); {value} is not one.", field=field) from None
    if len(value) > MAX_TEXT_VALUE:
        raise InvalidValue(f"{field}: at most {MAX_TEXT_VALUE} characters.", field=field)
    return value


def parse_breakdowns(raw, limit=None) -> tuple[tuple[str, ...], int]:
    items = _list(raw, "breakdowns", 0, MAX_BREAKDOWNS)
    dimensions = []
    for i, item in enumerate(items):
        where = f"breakdowns[{i}]"
        item = _object(item, where)
        name = _text(item, "dimension", where, required=True)
        prop = PROPERTIES.get(name)
        if prop is None or not prop.can_break_down:
            allowed = [p.name for p in PROPERTIES.values() if p.can_break_down]
            raise InvalidValue(
                f"{where}.dimension: {name} cannot break an insight down; use one of {', '.join(allowed)}.",
                field=f"{where}.dimension",
            )
        if name in dimensions:
            raise InvalidValue(f"{where}.dimension: {name} is given twice.", field=f"{where}.dimension")
        dimensions.append(name)
    return tuple(dimensions), parse_limit(limit)


def parse_limit(raw) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InvalidValue(f"limit: a whole number from 1 to {MAX_LIMIT}.", field="limit")
    try:
        number = float(str(raw).strip())
    except ValueError:
        raise InvalidValue(f"limit: a whole number from 1 to {MAX_LIMIT}.", field="limit") from None
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= MAX_LIMIT:
        raise InvalidValue(f"limit: a whole number from 1 to {MAX_LIMIT}.", field="limit")
    return int(number)


def check_together(events, filters, breakdowns) -> None:
    """Each filter and breakdown names a property of every event (with no events, of every event there is)."""
    names = [choice.event for choice in events] or list(EVENTS)
    for where, name in [(f"filters[{i}].property", f.property) for i, f in enumerate(filters)] + [
        (f"breakdowns[{i}].dimension", d) for i, d in enumerate(breakdowns)
    ]:
        lacking = [event for event in names if name not in EVENTS[event].properties]
        if lacking:
            raise InvalidValue(
                f"{where}: {name} is not a property of {', '.join(dict.fromkeys(lacking))}; a filter or breakdown "
                "must name a property every event of the insight has.",
                field=where,
                parameters=[where, name],
            )
    for i, choice in enumerate(events):
        if choice.measurement in AMOUNT_MEASUREMENTS and not EVENTS[choice.event].amount:
            raise InvalidValue(f"events[{i}].measurement: {choice.event} has no amount.", field=f"events[{i}]")


def _list(raw, name: str, least: int, most: int) -> list:
    if raw is None:
        raise MissingValue(name)
    if not isinstance(raw, list):
        raise InvalidValue(f"{name}: give a list.", field=name)
    if not least <= len(raw) <= most:
        raise InvalidValue(f"{name}: give {least} to {most} entries.", field=name)
    return raw


def _object(item, where: str) -> dict:
    if not isinstance(item, dict):
        raise InvalidValue(f"{where}: give an object.", field=where)
    return item


def _text(item: dict, key: str, where: str, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise MissingValue(f"{where}.{key}")
        return ""
    if not isinstance(value, str):
        raise InvalidValue(f"{where}.{key}: give a string.", field=f"{where}.{key}")
    return value.strip()
