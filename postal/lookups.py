"""Lookups the letter-status service needs."""

from django.db.models import Lookup


class AnyOf(Lookup):
    """`ref = ANY(%s)` on PostgreSQL: the references travel as one array parameter rather than 5,000
    placeholders, so the statement stays short to send and quick to plan. Other databases get `IN (...)`."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs)) or "NULL"
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))
