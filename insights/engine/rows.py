"""The rows of one event that an insight counts: in the caller's mode, inside the period, through its filters."""

from decimal import Decimal

from django.db.models import Q, QuerySet

from ..catalogue import PROPERTIES, Event, Kind, Operator
from ..definition import Filter
from ..periods import Period


def alias(property_name: str) -> str:
    return f"p_{property_name.lower()}"


def event_rows(event: Event, filters: tuple[Filter, ...], period: Period, is_test: bool) -> QuerySet:
    rows = event.rows().filter(
        **{event.mode: is_test, f"{event.timestamp}__gte": period.start, f"{event.timestamp}__lt": period.end}
    )
    names = dict.fromkeys(f.property for f in filters)
    if names:
        rows = rows.alias(**{alias(name): event.expression(name) for name in names})
    for condition in filters:
        rows = rows.filter(filter_condition(condition))
    return rows


def filter_condition(condition: Filter) -> Q:
    """A filter as a condition on its property's alias. NOT_EQUALS and NOT_IN also match events where the property
    is not set, as "is not X" reads."""
    name = alias(condition.property)
    values = [_prepared(condition.property, value) for value in condition.values]
    operator = Operator(condition.operator)
    if operator == Operator.IS_SET:
        return Q(**{f"{name}__isnull": False})
    if operator == Operator.IS_NOT_SET:
        return Q(**{f"{name}__isnull": True})
    if operator == Operator.NOT_EQUALS:
        return Q(**{f"{name}__isnull": True}) | ~Q(**{name: values[0]})
    if operator == Operator.NOT_IN:
        return Q(**{f"{name}__isnull": True}) | ~Q(**{f"{name}__in": values})
    if operator == Operator.BETWEEN:
        return Q(**{f"{name}__gte": values[0], f"{name}__lte": values[1]})
    lookup = {
        Operator.EQUALS: "exact",
        Operator.IN: "in",
        Operator.CONTAINS: "icontains",
        Operator.GREATER_THAN: "gt",
        Operator.GREATER_THAN_OR_EQUAL: "gte",
        Operator.LESS_THAN: "lt",
        Operator.LESS_THAN_OR_EQUAL: "lte",
    }[operator]
    return Q(**{f"{name}__{lookup}": values if lookup == "in" else values[0]})


def _prepared(property_name: str, value):
    # Amounts are decimals in the database; a JSON float compared as one would miss 0.1 + 0.2.
    return Decimal(str(value)) if PROPERTIES[property_name].kind == Kind.NUMBER else value
