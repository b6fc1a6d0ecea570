"""Hypothesis strategies shared by the fuzz tests: any JSON a caller could send, and text a query could carry."""

import copy
import functools
import json
import os
import re
from urllib.parse import quote

from django.apps import apps
from django.core import mail
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Derandomized so a CI run is reproducible; `make fuzz` raises the examples (FUZZ_EXAMPLES) to hunt further.
FUZZ = settings(
    max_examples=max(150, int(os.environ.get("FUZZ_EXAMPLES", "0"))),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
# Text a query string may carry, including separators and characters that trip naive parsers.
query_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=60) | st.sampled_from(
    ["", "=", "id=", "number=", "number=CM000001", "id=not-a-uuid", "{", "{}", '{"id": 1}', "-1", "0", "1e9", "x" * 300]
)

# What an error body must never carry: a stack trace or the server's layout.
LEAKS = re.compile(r"Traceback|File \"/|site-packages|psycopg|django\.db", re.IGNORECASE)


# The whole class of hostile input, per family (issue 15): what a careless client or an attacker sends. -------------


# `make test` keeps each hostile-input test well under a minute; `make fuzz` raises the examples (FUZZ_EXAMPLES).
HOSTILE = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

LONE_SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udc00\ud800"])
CONTROL_CHARACTERS = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31) | st.just("\x7f"), min_size=1)
HUGE_AND_NEGATIVE = st.sampled_from(
    [-1, -(2**31), 2**31, 2**53 + 1, 2**63, -(2**63) - 1, 10**20, 99999999999999999999, 1e308, -1e308, 0.5, -0.0]
)
# Year 1 and year 9999, as ISO text and as the epoch seconds and milliseconds the families print.
EDGE_DATES = st.sampled_from(
    [
        "0001-01-01",
        "0001-01-01T00:00:00Z",
        "9999-12-31",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59.999999+14:00",
        "0000-00-00",
        "2026-02-30",
        -62135596800,
        253402300799,
        253402300799999,
        -62135596800000,
    ]
)
TEN_MEGABYTES = "x" * (10 * 1024 * 1024)
# A JSON value nested this deep parses (it is under the interpreter's limit) but exercises every recursive walker.
DEEP_LIST = functools.reduce(lambda inner, _: [inner], range(200), [])


def hostile_scalars(*, dates: bool = True):
    return (
        scalars
        | LONE_SURROGATES
        | CONTROL_CHARACTERS
        | HUGE_AND_NEGATIVE
        | (EDGE_DATES if dates else st.nothing())
        | st.just(DEEP_LIST)
        | st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda text: text + "\u0000")
    )


def hostile_values(members=(), *, dates: bool = True):
    """Any JSON, weighted towards the hostile: wrong types, edge numbers and dates, bad characters, deep nesting, and
    objects built from the members the family names (plus unknown ones), so values reach the checks behind parsing."""
    keys = st.sampled_from([*members, "unknown_member", "id", "number"]) if members else st.text(max_size=12)
    return st.recursive(
        hostile_scalars(dates=dates),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=4),
        max_leaves=8,
    )


def hostile_bodies(members):
    """A JSON text for a family's writes: an object of the members it names with hostile values, any hostile JSON, a
    body nested 100,000 deep, or a 10 MB string in a member."""
    objects = st.dictionaries(st.sampled_from([*members, "unknown_member"]), hostile_values(members), max_size=6)
    return (
        objects.map(lambda body: json.dumps(body, ensure_ascii=True))
        | hostile_values(members).map(lambda body: json.dumps(body, ensure_ascii=True))
        | st.sampled_from(["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000, "{", "", "null"])
        | st.sampled_from(sorted(members) or ["name"]).map(lambda member: json.dumps({member: TEN_MEGABYTES}))
    )


hostile_query_values = (
    query_text
    | HUGE_AND_NEGATIVE.map(str)
    | EDGE_DATES.map(str)
    | st.sampled_from(["%ED%A0%80", "\u0007", "a\nb", "\t", "99999999999999999999", "-99999999999999999999", "1e400"])
    | CONTROL_CHARACTERS.filter(lambda text: "\x00" not in text)
    | st.just("x" * 5000)
)


@functools.cache
def schema_operations(prefix: str) -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """(method, path, query parameter names, body member names) of every operation the OpenAPI schema documents under
    `prefix`, read from drf-spectacular as integrators read it."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document.get("components", {}).get("schemas", {})

    def members(schema, depth=0) -> set[str]:
        if depth > 3 or not isinstance(schema, dict):
            return set()
        if "$ref" in schema:
            return members(components.get(schema["$ref"].rsplit("/", 1)[-1], {}), depth)
        names = set()
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                names |= members(part, depth)
        for name, child in schema.get("properties", {}).items():
            names.add(name)
            names |= members(child, depth + 1)
        names |= members(schema.get("items", {}), depth + 1)
        return names

    operations = []
    for path, item in document["paths"].items():
        if not path.startswith(prefix):
            continue
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            query = tuple(sorted(p["name"] for p in operation.get("parameters", []) if p["in"] == "query"))
            body = set()
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body |= members(content.get("schema", {}))
            operations.append((method.upper(), path, query, tuple(sorted(body))))
    return tuple(operations)


def query_string(query: dict) -> str:
    """The query as a client's bytes would carry it: percent-encoded UTF-8, a lone surrogate as its three bytes."""
    return "&".join(
        f"{quote(name)}={quote(str(value), safe='', errors='surrogatepass')}" for name, value in query.items()
    )


def fill_path(path: str, values) -> str:
    """The path with each `{parameter}` filled from `values` (a dict of the records' identifiers, or one text)."""

    def one(match):
        name = match.group(1)
        value = values.get(name) if isinstance(values, dict) else values
        return quote(str(value if value is not None else "unknown"), safe="", errors="surrogatepass")

    return re.sub(r"\{([^}]+)\}", one, path)


PROJECT_APPS = ("accounts", "activities", "communications", "correspondence", "postal", "insights")


@functools.cache
def _count_statement() -> tuple[str, list[str]]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label
            in ("accounts", "activities", "communications", "correspondence", "postal", "insights")
            and model._meta.managed
        }
    )
    return "SELECT " + ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables), tables


def rows_everywhere() -> dict:
    """How many rows every table of the project holds (one query), and how many emails went out."""
    statement, tables = _count_statement()
    with connection.cursor() as cursor:
        cursor.execute(statement)
        counts = cursor.fetchone()
    return {**dict(zip(tables, counts, strict=True)), "emails sent": len(getattr(mail, "outbox", []))}


def _objects_in(value, path=()):
    """The path to every object in a JSON value, the value itself first."""
    if isinstance(value, dict):
        yield path
        for key, child in value.items():
            yield from _objects_in(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _objects_in(child, (*path, index))


def _changed(base, path, change):
    body = copy.deepcopy(base)
    target = body
    for step in path:
        target = target[step]
    target.update(change)
    return json.dumps(body, ensure_ascii=True)


def mutations(base: dict, members, *, dates: bool = True) -> st.SearchStrategy[str]:
    """A valid body with one or two members of one of its objects (the body or one nested in it) replaced or added
    with hostile values, so the values pass the parsing and reach the domain's checks and the database."""
    members = sorted({*members, *(key for path in _objects_in(base) for key in _at(base, path))})
    values = hostile_values(members, dates=dates)
    return st.tuples(
        st.sampled_from(list(_objects_in(base))),
        st.dictionaries(st.sampled_from(members), values, min_size=1, max_size=2),
    ).map(lambda located: _changed(base, *located))


def _at(value, path):
    for step in path:
        value = value[step]
    return value
