"""GET /activities/ answered by plain code for the lists the back office asks for most: by states, types, team and
user, in any sort and page, without tags or custom fields. Each such list's count and page statements are taken once
per process from the generic path's own querysets, then run with the request's values, and each entry is built field
for field as serializers.ActivityListItemSerializer shows it (which stays the schema and answers every other list):
building, compiling and instantiating the ORM's queries cost most of a page (bench/README.md, "The request path").
Any other query, and any value the generic path would word a refusal for, takes the generic path."""

import re
import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.http import QueryDict

from accounts.api.backoffice.dialect import BackofficeSort, option
from accounts.errors import InvalidValue
from accounts.models import Contact
from accounts.selectors import user_guid
from activities import selectors
from activities.models import Activity, ActivityState

from . import serializers as s

UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
MOST_TYPES = 8  # a list naming more takes the generic path, so the statements kept per process stay few
OPTIONS = ("include_tags", "include_custom_fields")
PAGING = ("page", "size", "sort", "order")

CONTACT = ("id", "contact_type", "company_name", "first_name", "middle_name", "last_name", "code")
COLUMNS = (
    "id",
    "name",
    "description",
    "state",
    "created_on",
    "scheduled_from",
    "scheduled_to",
    "type__id",
    "type__name",
    "type__color",
    *(f"contact__{name}" for name in CONTACT),
    "lead_id",
    "lead_title",
    "service_request_id",
    "service_request_number",
    "order_id",
    "order_number",
    "assigned_user_id",
    "assigned_user__first_name",
    "assigned_user__last_name",
    "assigned_user__username",
    "assigned_user_guid",
    "assigned_team__id",
    "assigned_team__name",
)


def _states(raw: str) -> list | None:
    states = list(dict.fromkeys(raw.split(",")))
    return states if all(state in ActivityState.values for state in states) else None


def _ids(raw: str) -> list | None:
    texts = raw.split(",")
    if len(texts) > MOST_TYPES or not all(UUID_TEXT.match(text) for text in texts):
        return None
    return list(dict.fromkeys(uuid.UUID(text) for text in texts))


def _id(raw: str) -> list | None:
    return [uuid.UUID(raw)] if UUID_TEXT.match(raw) else None


# Each filter read here, parsed to the values its FilterSet filter compares (None: not in its plainest spelling).
FILTERS = {"states": _states, "types": _ids, "assign_to_team_id": _id, "assign_to_user_id": _id}


def _filters(query: QueryDict) -> dict[str, list] | None:
    filters = {}
    for name, values in query.lists():
        if len(values) != 1:
            return None
        if name in FILTERS:
            filters[name] = FILTERS[name](values[0])
            if filters[name] is None:
                return None
        elif name not in PAGING and name not in OPTIONS:
            return None
    return filters


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple
    slots: dict[tuple[str, int], int]  # (filter, nth value) -> where its value goes among the params

    def run(self, cursor, filters: dict[str, list], sql_end: str = "") -> None:
        params = list(self.params)
        for (name, index), position in self.slots.items():
            params[position] = filters[name][index]
        cursor.execute(self.sql + sql_end, params)


@dataclass(frozen=True)
class ListStatements:
    count: Statement
    page: Statement
    names: tuple[str, ...]


class Sent(Exception):
    """What a queryset would send to the database, stopped on its way."""


def _stop(execute, sql, params, many, context):
    raise Sent(sql, params)


def _sent(connection, run) -> tuple[str, tuple]:
    with connection.execute_wrapper(_stop):
        try:
            run()
        except Sent as sent:
            return sent.args[0], tuple(sent.args[1])
    raise RuntimeError("the queryset sent no statement")


def _samples(shape: tuple) -> dict[str, list]:
    """A distinct value per filter value of the shape, to find where each goes among a statement's params."""
    serial = iter(range(1, 1000))
    return {
        name: ActivityState.values[:count] if name == "states" else [uuid.UUID(int=next(serial)) for _ in range(count)]
        for name, count in shape
    }


def _statement(sql: str, params: tuple, samples: dict[str, list]) -> Statement:
    slots = {}
    for name, values in samples.items():
        for index, value in enumerate(values):
            positions = [n for n, param in enumerate(params) if type(param) is type(value) and param == value]
            if len(positions) != 1:
                raise ValueError(f"{name}'s value must appear exactly once among the statement's params")
            slots[name, index] = positions[0]
    return Statement(sql, params, slots)


def _compile(view, is_test: bool, request_query: QueryDict, shape: tuple, connection) -> ListStatements:
    """The generic path's statements for a list of this shape, from its FilterSet and sort given sample values."""
    samples = _samples(shape)
    query = QueryDict(mutable=True)
    for name in ("sort", "order"):
        if name in request_query:
            query[name] = request_query[name]
    for name, values in samples.items():
        query[name] = ",".join(str(value) for value in values)
    sample_request = SimpleNamespace(query_params=query)
    listed = selectors.activities(is_test)
    for backend in view.filter_backends:
        listed = backend().filter_queryset(sample_request, listed, view)
    page = listed.values(*COLUMNS)
    selected = page.query
    names = tuple(selected.selected or (*selected.extra_select, *selected.values_select, *selected.annotation_select))
    return ListStatements(
        count=_statement(*_sent(connection, listed.count), samples),
        page=_statement(*_sent(connection, lambda: list(page)), samples),
        names=names,
    )


COMPILED: dict[tuple, ListStatements] = {}


def answer(view, request):
    """The list's response, or None when the generic path must answer (another query, or a value it refuses)."""
    alias = router.db_for_read(Activity)
    connection = connections[alias]
    # PostgreSQL's driver gives UUIDs and dates as Python values, with none of the converters other databases need.
    if connection.vendor != "postgresql":
        return None
    filters = _filters(request.query_params)
    if filters is None:
        return None
    paginator = view.paginator
    try:
        if any(option(request, name) for name in OPTIONS):
            return None
        ordering = BackofficeSort().ordering(request, view)
        paginator.read_page(request)
    except InvalidValue:
        return None
    is_test = view.is_test
    shape = tuple(sorted((name, len(values)) for name, values in filters.items()))
    key = (alias, is_test, ordering, shape)
    statements = COMPILED.get(key)
    if statements is None:
        statements = COMPILED.setdefault(key, _compile(view, is_test, request.query_params, shape, connection))
    limits = connection.ops.limit_offset_sql(paginator.start, paginator.start + paginator.size)
    with connection.cursor() as cursor:
        statements.page.run(cursor, filters, f" {limits}")
        rows = [dict(zip(statements.names, row, strict=True)) for row in cursor.fetchall()]
        if len(rows) < paginator.size and (rows or not paginator.start):
            # A page short of its size is the last one: the list holds the rows before it and those on it.
            paginator.total = paginator.start + len(rows)
        else:
            statements.count.run(cursor, filters)
            paginator.total = cursor.fetchone()[0]
    return view.get_paginated_response([_entry(row) for row in rows])


def _entry(row: dict) -> dict:
    scheduled_to = row["scheduled_to"]
    activity = SimpleNamespace(**row)
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "description": row["description"],
        "state": row["state"],
        "key_dates": {
            "created_on": s.epoch_seconds(row["created_on"]),
            "scheduled_on": {
                "from_date": s.epoch_seconds(row["scheduled_from"]),
                "to_date": None if scheduled_to is None else s.epoch_seconds(scheduled_to),
            },
        },
        "type": {"id": str(row["type__id"]), "name": row["type__name"], "color": row["type__color"]},
        "contact": {
            "id": str(row["contact__id"]),
            "name": Contact.full_name.fget(SimpleNamespace(**{name: row[f"contact__{name}"] for name in CONTACT})),
            "code": row["contact__code"],
        },
        "lead": s.linked_ref(activity, "lead", "title"),
        "service_request": s.linked_ref(activity, "service_request", "number"),
        "order": s.linked_ref(activity, "order", "number"),
        "assign_to": {"user": _user(row), "team": _team(row)},
    }


def _user(row: dict) -> dict | None:
    user_id = row["assigned_user_id"]
    if user_id is None:
        return None
    User = get_user_model()
    # A user made without a GUID (a bulk insert) is given one now, as the serializer gives it.
    guid = row["assigned_user_guid"] or user_guid(User(pk=user_id))
    names = SimpleNamespace(first_name=row["assigned_user__first_name"], last_name=row["assigned_user__last_name"])
    return s.user_ref(guid, User.get_full_name(names), row["assigned_user__username"])


def _team(row: dict) -> dict | None:
    if row["assigned_team__id"] is None:
        return None
    return {"id": str(row["assigned_team__id"]), "name": row["assigned_team__name"]}
