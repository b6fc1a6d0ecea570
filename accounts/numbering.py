"""Human numbers (AC00123456, CM000680): assigned from a counter row, never reused."""

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Series:
    """A series whose numbers are held by records of `model` in its field `number` and, with `code`, as the number's
    integer in that field: a draw steps over any number or code a record already holds."""

    name: str
    prefix: str
    width: int
    model: type
    number: str
    code: str | None = None

    def next_unused(self) -> str:
        """The next number no record holds. On PostgreSQL each draw and its check are one statement."""
        if connection.vendor != "postgresql":
            fields = (self.number,) if self.code is None else (self.number, self.code)
            held = _held_in(self.model, fields)
            return next_number(self.name, self.prefix, self.width, lambda n: held(*self.values(n).values()))
        draw, params = self.draw()
        statement = f"WITH {draw} SELECT drawn.number, NOT EXISTS (SELECT 1 FROM free) FROM drawn"
        with connection.cursor() as cursor:
            while True:
                cursor.execute(statement, params)
                row = cursor.fetchone()
                if row is None:
                    self.missed()
                elif not row[1]:
                    return row[0]

    def values(self, number: str) -> dict[str, str]:
        """What a record holding the drawn `number` has in the series' fields."""
        held = {self.number: number}
        if self.code is not None:
            held[self.code] = str(int(number[len(self.prefix) :]))
        return held

    def fields_drawn(self, record) -> tuple[tuple[str, str], ...]:
        """The fields of `record` a draw fills, each with the column of draw()'s `free` that fills it: its number,
        unless it has one of its own, and the code."""
        number = () if getattr(record, self.number) else ((self.number, "number"),)
        return number + (() if self.code is None else ((self.code, "code"),))

    def assign(self, record) -> None:
        """The next unused number to `record`'s fields_drawn."""
        values = self.values(self.next_unused())
        for name, _ in self.fields_drawn(record):
            setattr(record, name, values[name])

    def draw(self) -> tuple[str, list]:
        """A draw as PostgreSQL common table expressions, for a statement that may also write what holds its number:
        `advanced` (the counter), `drawn` (the number and its integer as text, the code) and `free` (the drawn row,
        unless a record holds its number or code). A statement finding `free` empty must draw again (after
        missed()); the draw is spent all the same, as next_number's are."""
        quote = connection.ops.quote_name
        sequences, records = quote(NumberSequence._meta.db_table), quote(self.model._meta.db_table)
        held = f"{quote(self.model._meta.get_field(self.number).column)} = drawn.number"
        if self.code is not None:
            held += f" OR {quote(self.model._meta.get_field(self.code).column)} = drawn.code"
        sql = (
            f"advanced AS (UPDATE {sequences} SET last_value = last_value + 1 WHERE name = %s RETURNING last_value),"
            " drawn AS (SELECT last_value::text AS code,"
            " %s || lpad(last_value::text, greatest(%s, length(last_value::text)), '0') AS number FROM advanced),"
            f" free AS (SELECT number, code FROM drawn WHERE NOT EXISTS (SELECT 1 FROM {records} WHERE {held}))"
        )
        return sql, [self.name, self.prefix, self.width]

    def missed(self) -> None:
        """After a draw that found nothing free: the series' first number needs its counter row first."""
        NumberSequence.objects.get_or_create(name=self.name)


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
