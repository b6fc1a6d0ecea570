"""Queries compiled to SQL once per process and run with a new value each time: building and compiling an ORM
query costs more Python than the rest of a small read together (bench/README.md, "The request path")."""

import copy
import threading
import uuid
from collections.abc import Callable

from django.db import connections, router
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP


class Precompiled:
    """`build(value)` gives a queryset filtered by `value` (a values() one for rows(), a model one for records());
    each run is its SQL, compiled once per process and database, with another value in its place."""

    def __init__(self, build: Callable[[object], QuerySet], field, samples: tuple):
        self.build = build
        self.field = field  # the model field the value is compared with, to prepare it as the lookup would
        self.samples = samples  # two distinct values of that field's type: where the params differ is the value
        self.compiled: dict[str, tuple] = {}
        self.lock = threading.Lock()

    def _compile(self, alias: str) -> tuple:
        first, second = (self.build(sample) for sample in self.samples)
        compiler = first.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = second.query.get_compiler(using=alias).as_sql()
        moving = [n for n, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        if other_sql != sql or len(moving) != 1:
            raise ValueError("the value must appear exactly once among the query's parameters")
        # Which columns to convert, and how, depends only on the query: Django works it out again for every run.
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return first, compiler, sql, list(params), moving[0], converters

    def _ready(self, value) -> tuple:
        alias = router.db_for_read(self.field.model)
        entry = self.compiled.get(alias)
        if entry is None:
            with self.lock:
                entry = self.compiled.setdefault(alias, self._compile(alias))
        template, compiler, sql, params, position, converters = entry
        connection = connections[alias]  # this thread's: a compiler keeps the one it was made with
        params = params.copy()
        params[position] = self.field.get_db_prep_value(self.field.get_prep_value(value), connection, prepared=True)
        compiler = copy.copy(compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        compiler.get_converters = lambda expressions: converters
        return template, compiler

    def rows(self, value) -> list[dict]:
        """The values() query's rows, each column converted as the ORM would (JSON decoded, UUIDs, dates)."""
        template, compiler = self._ready(value)
        query = template.query
        names = list(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
        return [dict(zip(names, row, strict=True)) for row in compiler.results_iter()]

    def records(self, value) -> list:
        """The model query's records, as its queryset would give them (its iterable, its prefetches)."""
        template, compiler = self._ready(value)
        queryset = template._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        queryset._prefetch_related_lookups = ()
        found = list(queryset)
        # A foreign key that no record sets has nothing to fetch, yet Django would build a query to learn that.
        wanted = [lookup for lookup in template._prefetch_related_lookups if _names_any(found, lookup)]
        if wanted:
            prefetch_related_objects(found, *wanted)
        return found


def _names_any(records: list, lookup) -> bool:
    """False only for a plain foreign key (no deeper path) that is empty in every record."""
    path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
    if not records or LOOKUP_SEP in path:
        return bool(records)
    field = records[0]._meta.get_field(path)
    if not (field.many_to_one and field.concrete):
        return True
    return any(getattr(record, field.attname) is not None for record in records)


SAMPLE_IDS = (uuid.UUID(int=1), uuid.UUID(int=2))
SAMPLE_TEXTS = ("1", "2")


def by_identifier(model, lookups, build: Callable[[bool, str, object], QuerySet]) -> dict[tuple, Precompiled]:
    """A statement per lookup an identifier may name and per mode (the mode is a constant of the query, not a
    value): `build(is_test, lookup, value)` gives the queryset, keyed (lookup, is_test)."""

    def one(lookup: str, is_test: bool) -> Precompiled:
        field = model._meta.pk if lookup == "pk" else model._meta.get_field(lookup)
        samples = SAMPLE_IDS if lookup == "pk" else SAMPLE_TEXTS
        return Precompiled(lambda value: build(is_test, lookup, value), field, samples)

    return {(lookup, is_test): one(lookup, is_test) for lookup in lookups for is_test in (False, True)}


# A communication's insert with its number's draw and its first snapshot: 53 parameters, 4,500 characters.
MOST_STATEMENT_PARAMETERS = 256
LONGEST_STATEMENT = 16_384


def convert_long_statements_once() -> None:
    """psycopg turns a statement's %s into $1, $2... once and keeps the result, but only for statements of up to
    50 parameters and 4,096 characters: a longer one is parsed again on every run (0.2 ms for the create's
    insert). The limits are constants of its query module, raised here for the process."""
    from psycopg import _queries

    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, MOST_STATEMENT_PARAMETERS)
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_STATEMENT)
