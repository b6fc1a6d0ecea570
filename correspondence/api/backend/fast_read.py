"""GET correspondence/{id} as JSON answered from one query's values by plain code, field for field what
serializers.CorrespondenceSerializer shows (which stays the schema and the shape of every other answer): no model
instances, no serializer fields built per request, the SQL compiled once per process (bench/README.md)."""

from functools import cache
from types import SimpleNamespace

from accounts.errors import NotFound
from accounts.precompiled import by_identifier
from accounts.selectors import record_id
from correspondence.models import Correspondence

from . import serializers as s

STAMPS = ("ready_on", "emailed_on", "delivered_on")
COLUMNS = (
    "id",
    "number",
    "correspondence_date",
    *STAMPS,
    "correspondence_type__name",
    "customer_id",
    "content",
    "created_on",
    "attachments__name",
)

# One row per attachment (one with no name when it has none), in the order the serializer's prefetch reads them.
LETTER = by_identifier(
    Correspondence,
    ["pk"],
    lambda is_test, lookup, value: (
        Correspondence.objects.in_mode(is_test).filter(**{lookup: value}).order_by("attachments__name").values(*COLUMNS)
    ),
)


@cache
def _fields() -> dict:
    # The serializer's own fields word the dates and the content, so the two cannot differ in format.
    return s.CorrespondenceSerializer().fields


def read(identifier, is_test: bool) -> dict:
    """The correspondence with that id in the caller's mode as the family shows it, else NotFound."""
    rows = LETTER["pk", bool(is_test)].rows(record_id(identifier, "correspondence"))
    if not rows:
        raise NotFound("correspondence", identifier)
    row, fields = rows[0], _fields()
    return {
        "id": str(row["id"]),
        "correspondenceNumber": str(row["number"]),
        "correspondenceDate": fields["correspondenceDate"].to_representation(row["correspondence_date"]),
        "status": Correspondence.status_names.fget(SimpleNamespace(**{name: row[name] for name in STAMPS})),
        "correspondenceType": str(row["correspondence_type__name"]),
        "customer": str(row["customer_id"]),
        "content": fields["content"].to_representation(row["content"]),
        "attachments": [each["attachments__name"] for each in rows if each["attachments__name"] is not None],
        "created": fields["created"].to_representation(row["created_on"]),
    }
