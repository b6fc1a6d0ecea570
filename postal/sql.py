"""Database expressions the letter-status service needs, portable between PostgreSQL and SQLite."""

from django.db.models import BigIntegerField, Func, Lookup

# Refs never hold line breaks (they are refused on the way in), so thousands of them travel as one text.
SEPARATOR = "\n"


class AnyOf(Lookup):
    """`ref = ANY(…)` on PostgreSQL: 5,000 refs are one parameter, not 5,000 placeholders, so the statement is
    short to send and quick to plan. They travel as one newline-joined text split by the server, which costs
    the client far less to encode than an array. Other databases get `IN (...)`."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs)) or "NULL"
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if any(SEPARATOR in value for value in values):
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        return f"{lhs} = ANY(string_to_array(%s, E'\\n'))", (*lhs_params, SEPARATOR.join(values))


class UnixSeconds(Func):
    """A timestamp as whole Unix seconds, computed by the database: no datetime objects for thousands of rows."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint")

    def as_sqlite(self, compiler, connection, **extra):
        # Two rounds of %-formatting (the template, then the backend's placeholders) each halve the %s.
        return self.as_sql(compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)")
