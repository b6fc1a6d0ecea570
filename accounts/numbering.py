"""Human numbers (AC00123456, CM000680): assigned from a counter row, never reused."""

from collections.abc import Callable

from django.db import connection

from .models import NumberSequence


def next_number(series: str, prefix: str, width: int, taken) -> str:
    """The next free number of a series; `taken(number)` says whether a record already holds it.

    Each draw is a single UPDATE … RETURNING on the counter row: atomic on its own, and inside a
    caller's transaction the row stays locked until that transaction ends, so concurrent creates
    queue for it instead of both taking the same number.
    """
    while True:
        number = f"{prefix}{_draw(series):0{width}d}"
        if not taken(number):
            return number


def next_number_unused(series: str, prefix: str, width: int, model, number: str, code: str | None = None) -> str:
    """next_number, taken being a record of `model` holding the number in its field `number` (or, with `code`, the
    number's integer in that field). On PostgreSQL each draw and its check are one statement: one round trip."""
    if connection.vendor != "postgresql":
        fields = (number,) if code is None else (number, code)
        held = _held_in(model, fields)
        return next_number(
            series, prefix, width, lambda n: held(n) if code is None else held(n, str(int(n[len(prefix) :])))
        )
    quote = connection.ops.quote_name
    sequences, records = quote(NumberSequence._meta.db_table), quote(model._meta.db_table)
    held = f"{quote(model._meta.get_field(number).column)} = drawn.number"
    if code is not None:
        held += f" OR {quote(model._meta.get_field(code).column)} = drawn.last_value::text"
    statement = (
        f"WITH advanced AS (UPDATE {sequences} SET last_value = last_value + 1 WHERE name = %s RETURNING last_value),"
        " drawn AS (SELECT last_value, %s || lpad(last_value::text, greatest(%s, length(last_value::text)), '0')"
        f" AS number FROM advanced) SELECT drawn.number, EXISTS (SELECT 1 FROM {records} WHERE {held}) FROM drawn"
    )
    with connection.cursor() as cursor:
        while True:
            cursor.execute(statement, [series, prefix, width])
            row = cursor.fetchone()
            if row is None:  # the series' first number
                NumberSequence.objects.get_or_create(name=series)
            elif not row[1]:
                return row[0]


def _draw(series: str) -> int:
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    advance = f"UPDATE {table} SET last_value = last_value + 1 WHERE name = %s RETURNING last_value"
    with connection.cursor() as cursor:
        cursor.execute(advance, [series])
        row = cursor.fetchone()
        if row is None:  # the series' first number
            NumberSequence.objects.get_or_create(name=series)
            cursor.execute(advance, [series])
            row = cursor.fetchone()
    return row[0]


def _held_in(model, fields: tuple[str, ...]) -> Callable[..., bool]:
    """Whether a record of `model` holds any of the values given, each compared with its field in turn."""

    def taken(*values) -> bool:
        quote = connection.ops.quote_name
        where = " OR ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE {where} LIMIT 1", list(values))
            return cursor.fetchone() is not None

    return taken
