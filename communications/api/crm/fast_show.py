"""communications/show answered from one query's values by plain code, field for field what
serializers.CommunicationSerializer shows (which stays the schema and the shape of every other answer): no model
instances, no serializer fields copied per request, the SQL compiled once per process (bench/README.md)."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from accounts.models import Contact
from accounts.precompiled import SAMPLE_IDS, Precompiled, by_identifier
from communications import selectors
from communications.formatting import java_date_time, local_date_time
from communications.models import (
    UDF_DATE_FIELDS,
    UDF_FLOAT_FIELDS,
    UDF_STRING_FIELDS,
    Communication,
    UnrestrictedParameter,
)

from . import identifiers as ids
from . import serializers as s

CONTACT = ("id", "contact_type", "title", "first_name", "middle_name", "last_name", "company_name")
CONTACT_MORE = ("gender", "id_number", "date_of_birth")
RELATED = {
    "category": ("id", "name", "description", "code"),
    "queue_external_system": ("id", "name", "alternative_code"),
    "privacy_level": ("id", "name", "alternative_code", "description"),
    "owned_by_group": ("id", "name", "description", "code"),
    "created_by_key": ("id", "name", "prefix"),
    "updated_by_key": ("id", "name", "prefix"),
}
OWN = (
    "id",
    "number",
    "code",
    "media",
    "direction",
    "state",
    "subject",
    "content",
    "notes",
    "from_address",
    "to_address",
    "viewed_on",
    "referring_to",
    "created_on",
    "updated_on",
    "created_by_user_id",
    "updated_by_user_id",
    *UDF_STRING_FIELDS,
    *UDF_FLOAT_FIELDS,
    *UDF_DATE_FIELDS,
)
COLUMNS = (
    *OWN,
    *(f"contact__{name}" for name in CONTACT + CONTACT_MORE),
    "contact_is_financial",
    "contact_residence_country_code",
    *(f"{relation}__{name}" for relation, names in RELATED.items() for name in names),
)
PARAMETER_COLUMNS = ("integer_value", "date_value", "string_value", "type", "id", "name", "float_value")


# Whether it has parameters at all: most have none, and then their query is not needed.
HAS_PARAMETERS = Exists(UnrestrictedParameter.objects.filter(communication=OuterRef("pk")))
BY = by_identifier(
    Communication,
    ids.COMMUNICATION.fields.values(),
    lambda is_test, lookup, value: (
        selectors.communications_with_contact_state()
        .in_mode(is_test)
        .filter(**{lookup: value})
        .annotate(has_parameters=HAS_PARAMETERS)
        .values(*COLUMNS, "has_parameters")[:2]
    ),
)
PARAMETERS = Precompiled(
    lambda value: UnrestrictedParameter.objects.filter(communication=value).values(*PARAMETER_COLUMNS),
    UnrestrictedParameter._meta.get_field("communication"),
    SAMPLE_IDS,
)


def show(identifier, is_test: bool) -> dict:
    """The communication the identifier names as the family shows it; the errors of ids.resolve."""
    row = ids.resolve_with(lambda lookup, value: BY[lookup, bool(is_test)].rows(value), identifier, ids.COMMUNICATION)
    return _communication(row, is_test, PARAMETERS.rows(row["id"]) if row["has_parameters"] else [])


def shown(communication: Communication) -> dict:
    """A communication in hand (its contact read with its state, its parameters known) as show answers it."""
    row = {name: getattr(communication, name) for name in OWN}
    contact = communication.contact
    row |= {f"contact__{name}": getattr(contact, name) for name in CONTACT + CONTACT_MORE}
    row["contact_is_financial"] = contact.is_financial
    row["contact_residence_country_code"] = contact.residence_country_code
    for relation, names in RELATED.items():
        record = getattr(communication, relation)
        row |= {f"{relation}__{name}": getattr(record, name, None) for name in names}
    parameters = [
        {name: getattr(parameter, name) for name in PARAMETER_COLUMNS} for parameter in communication.parameters.all()
    ]
    users = {user.pk: user for user in (communication.created_by_user, communication.updated_by_user) if user}
    held = getattr(communication, "held_records", None)  # read for its placeholders, if it had any
    return _communication(row, communication.is_test, parameters, users, held)


def _text(value) -> str | None:
    return str(value) if value not in (None, "") else None


def _hex(value) -> str:
    return value.hex.upper()


def _communication(
    row: dict, is_test: bool, parameters: list[dict], users: dict | None = None, held: dict | None = None
) -> dict:
    shown = {
        "unrestricted_parameter_set": [_parameter(parameter) for parameter in parameters],
        "notes": row["notes"],
        "number": row["number"],
        "follow_up_set": [],
        "communication_queue_external_system": _related(row, "queue_external_system"),
        "privacy_level": _related(row, "privacy_level"),
        "contact_information": contact(row),
        "id": _hex(row["id"]),
        "media": row["media"],
        "referring_to": s.CommunicationSerializer().get_referring_to(
            SimpleNamespace(referring_to=row["referring_to"], is_test=is_test, held_records=held)
        ),
        "subject": _text(row["subject"]),
        "code": row["code"],
        "log_information": log_information(row, users),
        "owned_by_group": _related(row, "owned_by_group"),
        "life_cycle_state": row["state"],
        "content": _text(row["content"]),
        "to": _text(row["to_address"]),
        "category": _related(row, "category"),
        "direction": row["direction"],
        "viewed": 1 if row["viewed_on"] else 0,
        "viewed_on": java_date_time(row["viewed_on"]),
        "from": _text(row["from_address"]),
    }
    for name in UDF_STRING_FIELDS:
        shown[name] = None if row[name] is None else str(row[name])
    for name in UDF_FLOAT_FIELDS:
        shown[name] = None if row[name] is None else float(row[name])
    for name in UDF_DATE_FIELDS:
        shown[name] = local_date_time(row[name])
    return shown


def _parameter(row: dict) -> dict:
    return {
        "integer_value": None if row["integer_value"] is None else int(row["integer_value"]),
        "date_value": java_date_time(row["date_value"]),
        "string_value": None if row["string_value"] is None else str(row["string_value"]),
        "type": row["type"],
        "id": _hex(row["id"]),
        "name": row["name"],
        "float_value": None if row["float_value"] is None else float(row["float_value"]),
        "key": UnrestrictedParameter.key.fget(SimpleNamespace(type=row["type"], name=row["name"])),
    }


def _related(row: dict, relation: str) -> dict | None:
    """A category, queue system, privacy level or group, in the order and wording of its serializer."""
    if row[f"{relation}__id"] is None:
        return None

    def value(name):
        return row[f"{relation}__{name}"]

    if relation == "category":
        return {
            "id": _hex(value("id")),
            "name": value("name"),
            "description": _text(value("description")),
            "code": value("code"),
        }
    if relation == "queue_external_system":
        return {"name": value("name"), "id": _hex(value("id")), "alternative_code": value("alternative_code")}
    if relation == "privacy_level":
        return {
            "id": _hex(value("id")),
            "name": value("name"),
            "alternative_code": value("alternative_code"),
            "description": _text(value("description")),
        }
    return {
        "community_name": None,
        "id": _hex(value("id")),
        "name": value("name"),
        "description": _text(value("description")),
        "alternative_code": _text(value("code")),
    }


def log_information(row: dict, users: dict | None) -> dict:
    """When and by whom the row's record was created and last changed, as LogInformationSerializer shows it."""
    return {
        "updated_date": local_date_time(row["updated_on"]),
        "created_date": local_date_time(row["created_on"]),
        "created_by_unit": None,
        "updated_by_unit": None,
        "created_by_user": actor(row, "created_by", users),
        "updated_by_user": actor(row, "updated_by", users),
    }


def actor(row: dict, role: str, users: dict | None) -> dict | None:
    """Who created or last changed the row's record: its user from `users` (by id), else read; or its key."""
    user_id = row[f"{role}_user_id"]
    if user_id is not None:
        # Staff writes only: API writes carry their key. The user in hand, or its own query as the prefetch made it.
        user = (users or {}).get(user_id)
        if user is None:
            user = get_user_model().objects.select_related("identifier").filter(pk=user_id).first()
        return s.actor(user, None)
    if row[f"{role}_key__id"] is None:
        return None
    key = SimpleNamespace(id=row[f"{role}_key__id"], name=row[f"{role}_key__name"], prefix=row[f"{role}_key__prefix"])
    return s.actor(None, key)


def contact(row: dict, prefix: str = "contact__") -> dict:
    """The row's contact (its columns named with `prefix`, its derived fields annotated as contact_is_financial and
    contact_residence_country_code) as ContactInformationSerializer shows it."""
    contact = {name: row[f"{prefix}{name}"] for name in CONTACT + CONTACT_MORE}
    born = contact["date_of_birth"]
    code = row["contact_residence_country_code"]
    return {
        "last_name": _text(contact["last_name"]),
        "middle_name": _text(contact["middle_name"]),
        "life_cycle_state": "FINANCIAL" if row["contact_is_financial"] else "MARKETING",
        "company_profile": None,
        "title": _text(contact["title"]),
        "first_name": _text(contact["first_name"]),
        "type": contact["contact_type"],
        "id": _hex(contact["id"]),
        "name": _text(Contact.full_name.fget(SimpleNamespace(**contact))),
        "company_name": _text(contact["company_name"]),
        "demographics": {
            "gender": _text(contact["gender"]),
            "passport_issued_by_country": None,
            "social_security_number": None,
            "passport_number": None,
            "industry_sector": None,
            "country_of_residence": s.country(code) if code else None,
            "name_day": {"month": None, "day": None},
            "date_of_birth": {
                "month": born.month if born else None,
                "day": born.day if born else None,
                "year": born.year if born else None,
            },
            "id_number": _text(contact["id_number"]),
            "industry": None,
            "id_issued_by_country": None,
        },
    }
