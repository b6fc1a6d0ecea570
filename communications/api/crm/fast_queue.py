"""Queue entries as the family shows them, by plain code from values() rows: field for field what
serializers.QueueEntrySerializer shows (which stays the schema), with no model instances and no DRF field objects
per entry; a page of 100 in get_latest spent most of its CPU building those (bench/README.md)."""

from collections.abc import Callable
from functools import cache

from django.db.models import QuerySet

from accounts.precompiled import by_identifier
from communications import selectors
from communications.models import QueueEntry

from . import identifiers as ids
from .fast_show import CONTACT, CONTACT_MORE, contact, log_information

OWN = tuple(field.attname for field in QueueEntry._meta.concrete_fields)
KEY = ("id", "name", "prefix")
# What the representation reads, and nothing more: a communication's content and user-defined fields are not part
# of it, and loading them made every row of get_latest several times wider.
COLUMNS = (
    *OWN,
    *(f"communication__{name}" for name in ("id", "number", "state", "subject")),
    *(f"communication__contact__{name}" for name in CONTACT + CONTACT_MORE),
    "contact_is_financial",
    "contact_residence_country_code",
    *(f"external_system__{name}" for name in ("id", "name", "alternative_code")),
    *(f"{role}_key__{name}" for role in ("created_by", "updated_by") for name in KEY),
)

# The entry of every process, reject, remove and show: its query compiled once per process.
ENTRIES = by_identifier(
    QueueEntry,
    ids.QUEUE_ENTRY.fields.values(),
    lambda is_test, lookup, value: (
        selectors.queue_entries_with_contact_state().in_mode(is_test).filter(**{lookup: value}).values(*COLUMNS)[:2]
    ),
)


def rows(listing: Callable[[bool], QuerySet], is_test: bool) -> QuerySet:
    """`listing(is_test)` (a selector's list) as values() rows of COLUMNS: resolving 45 columns cost more than
    compiling the rest of the query, so it is done once per process and cloned for each use."""
    return _rows(listing, is_test).all()


@cache
def _rows(listing: Callable[[bool], QuerySet], is_test: bool) -> QuerySet:
    return listing(is_test).values(*COLUMNS)


def find(identifier, is_test: bool) -> dict:
    """The row of the entry the identifier names; the errors of ids.resolve."""

    def rows(lookup: str, value) -> list[dict]:
        return ENTRIES[lookup, bool(is_test)].rows(value)

    return ids.resolve_with(rows, identifier, ids.QUEUE_ENTRY)


def plain_action(data) -> dict | None:
    """What serializers.QueueActionSerializer validates a body to, when each of its values is plain text that the
    serializer is sure to accept; None otherwise, for the serializer to check and word what it refuses. Building
    and running its fields took more CPU than the rest of a process beside its queries."""
    if not isinstance(data, dict):
        return None
    identifier = data.get(ids.QUEUE_ENTRY.param)
    given = {name: data[name] for name in ("token", "fields_set") if name in data}
    if not isinstance(identifier, dict) or not all(map(_plain, [*identifier.values(), *given.values()])):
        return None
    return {name: value.strip() for name, value in given.items()} | {
        ids.QUEUE_ENTRY.param: {name: value.strip() for name, value in identifier.items()}
    }


def _plain(value) -> bool:
    # Text a CharField keeps as it is but for the surrounding spaces: not blank, no NUL, no lone surrogate.
    return isinstance(value, str) and value.isprintable() and bool(value.strip())


def record(row: dict) -> QueueEntry:
    """The entry itself, as the services take it, from its own columns in the row."""
    return QueueEntry.from_db(None, OWN, [row[name] for name in OWN])


def changed(row: dict, entry: QueueEntry) -> dict:
    """The entry a service changed, as it now is: the services set what they changed on the entry they were given."""
    key = entry.updated_by_key
    now = row | {name: getattr(entry, name) for name in OWN}
    now |= {f"updated_by_key__{name}": getattr(key, name, None) for name in KEY}
    users = selectors.users_by_id([now["created_by_user_id"]])
    if entry.updated_by_user_id is not None:
        users[entry.updated_by_user_id] = entry.updated_by_user
    return entry_shown(now, users)


def entries(rows: list[dict]) -> list[dict]:
    users = selectors.users_by_id(row[f"{role}_user_id"] for row in rows for role in ("created_by", "updated_by"))
    return [entry_shown(row, users) for row in rows]


def entry_shown(row: dict, users: dict) -> dict:
    return {
        "log_information": log_information(row, users),
        "error_code": _string(row["error_code"]),
        "error_description": _string(row["error_description"]),
        "life_cycle_state": _string(row["state"]),
        "communication": {
            "life_cycle_state": _string(row["communication__state"]),
            "number": _string(row["communication__number"]),
            "id": row["communication__id"].hex.upper(),
            "subject": _text(row["communication__subject"]),
            "contact_information": contact(row, "communication__contact__"),
        },
        "number": _string(row["number"]),
        "id": row["id"].hex.upper(),
        "communication_queue_external_system": None
        if row["external_system__id"] is None
        else {
            "name": _string(row["external_system__name"]),
            "id": row["external_system__id"].hex.upper(),
            "alternative_code": _string(row["external_system__alternative_code"]),
        },
    }


def _string(value) -> str | None:
    return None if value is None else str(value)


def _text(value) -> str | None:
    return str(value) if value not in (None, "") else None
