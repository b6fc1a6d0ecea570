"""Human numbers (AC00123456, CM000680): assigned from a counter row, never reused."""

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
