"""A values() query compiled to SQL once per process and run with a new value each time: building and compiling
an ORM query costs more Python than the rest of a small read together (bench/README.md, "The request path")."""

import threading
from collections.abc import Callable

from django.db import connections, router
from django.db.models import QuerySet


class Precompiled:
    """`build(value)` gives a values() queryset filtered by `value`; rows() runs its SQL with another value in its
    place, converting each column as the ORM would (JSON decoded, UUIDs and dates as the backend needs)."""

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
        query = first.query
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return sql, list(params), moving[0], names, compiler, converters

    def rows(self, value) -> list[dict]:
        alias = router.db_for_read(self.field.model)
        entry = self.compiled.get(alias)
        if entry is None:
            with self.lock:
                entry = self.compiled.setdefault(alias, self._compile(alias))
        sql, params, position, names, compiler, converters = entry
        connection = connections[alias]
        params = params.copy()
        params[position] = self.field.get_db_prep_value(self.field.get_prep_value(value), connection, prepared=True)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if converters:
            found = compiler.apply_converters(found, converters)
        return [dict(zip(names, row, strict=True)) for row in found]
