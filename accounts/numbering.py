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


def held_in(model, *fields: str) -> Callable[..., bool]:
    """A `taken` for next_number: whether a record of `model` holds any of the values given, each compared with
    its field in turn; a statement written once, where an ORM query would be compiled again for every draw."""

    def taken(*values) -> bool:
        quote = connection.ops.quote_name
        where = " OR ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE {where} LIMIT 1", list(values))
            return cursor.fetchone() is not None

    return taken
