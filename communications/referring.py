"""`referring_to`: the entities a communication is about.

Every entity the public document lists is accepted and its identifier stored as given, whether or
not this product holds such records; the ones we do hold (accounts receivable = financial accounts,
communications) are resolved, checked and rendered in full.
"""

import uuid
from collections.abc import Mapping

from django.db.models import Prefetch

from accounts.errors import InvalidValue, NotFound
from accounts.models import Account, Contact

REFERABLE = (
    "payment_gateway_card",
    "service_request",
    "payment",
    "bill",
    "notification",
    "activity",
    "spend_reward_transaction",
    "award_reward_transaction",
    "buy_in_advance_request",
    "accounts_receivable",
    "communication",
    "rewards_participant",
    "payment_gateway_request",
    "lead",
    "subscription",
    "job",
    "access_token",
    "purchase_customer_event",
    "spend_request_customer_event",
)

# Entities we hold: how their identifier fields map to lookups.
HELD_LOOKUPS = {
    "accounts_receivable": {"id": "pk", "number": "number", "name": "name"},
    "communication": {"id": "pk", "number": "number", "code": "code"},
}


def parse_uuid(value, entity: str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError:
        raise NotFound(entity, value) from None


def normalise(referring_to: Mapping | None, *, is_test: bool) -> dict:
    """{entity: identifier or None} checked; held entities are resolved to {"id": "<uuid>"}."""
    if referring_to is None:
        return {}
    if not isinstance(referring_to, Mapping):
        raise InvalidValue("referring_to must be an object of <entity>_identifier entries.", field="referring_to")
    result = {}
    for key, identifier in referring_to.items():
        entity = key.removesuffix("_identifier")
        if entity not in REFERABLE:
            raise InvalidValue(
                f"referring_to does not accept {key}; it accepts {', '.join(e + '_identifier' for e in REFERABLE)}.",
                field=f"referring_to.{key}",
            )
        if identifier is None:
            result[entity] = None
            continue
        if not isinstance(identifier, Mapping) or not identifier:
            raise InvalidValue(f"referring_to.{key} must be an identifier object.", field=f"referring_to.{key}")
        clean = {}
        for field, value in identifier.items():
            text = str(value).strip()
            if not isinstance(value, str | int | float) or isinstance(value, bool) or not text or "\x00" in text:
                raise InvalidValue(f"referring_to.{key}.{field} must be a value.", field=f"referring_to.{key}.{field}")
            if len(text) > 255 or len(str(field)) > 64 or "\x00" in str(field):
                raise InvalidValue(f"referring_to.{key}.{field} is too long.", field=f"referring_to.{key}.{field}")
            clean[str(field)] = text
        result[entity] = _resolve_held(entity, clean, is_test) if entity in HELD_LOOKUPS else clean
    return result


def _resolve_held(entity: str, identifier: dict, is_test: bool) -> dict:
    from .models import Communication

    lookups = HELD_LOOKUPS[entity]
    unknown = set(identifier) - set(lookups)
    if unknown or len(identifier) != 1:
        raise InvalidValue(
            f"referring_to.{entity}_identifier takes one of {', '.join(lookups)}.",
            field=f"referring_to.{entity}_identifier",
        )
    ((field, value),) = identifier.items()
    queryset = (Account if entity == "accounts_receivable" else Communication).objects.in_mode(is_test)
    label = entity.replace("_", " ")
    value = parse_uuid(value, label) if field == "id" else value
    found = list(queryset.filter(**{lookups[field]: value}).values_list("pk", flat=True)[:2])
    if not found:
        raise NotFound(label, value)
    if len(found) > 1:
        raise InvalidValue(f"More than one {label} has {field} {value}; use its id.", field=field)
    return {"id": str(found[0])}


def held_records(referring_to: Mapping, *, is_test: bool) -> dict:
    """The records behind the held entities of a stored referring_to, by entity."""
    return _held_records([(referring_to, is_test)])[0]


def attach_held_records(communications: list) -> list:
    """Keeps on each communication, as `held_records`, the records its referring_to names: read for all of them
    at once (a query per kind of record and one for their owners), not once per communication."""
    found = _held_records(
        [(communication.referring_to or {}, communication.is_test) for communication in communications]
    )
    for communication, records in zip(communications, found, strict=True):
        communication.held_records = records
    return communications


def _held_records(references: list[tuple[Mapping, bool]]) -> list[dict]:
    from .models import Communication
    from .selectors import contacts_with_state

    # Owners come annotated as CRM.COM shows a contact, so showing them costs no query of its own.
    owners = Prefetch("contact", queryset=contacts_with_state())
    loaded = {}
    for entity, model in (("accounts_receivable", Account), ("communication", Communication)):
        ids = {_held_id(referring_to, entity) for referring_to, _ in references} - {None}
        loaded[entity] = {record.pk: record for record in model.objects.filter(pk__in=ids).prefetch_related(owners)}
    found = []
    for referring_to, is_test in references:
        records = {entity: by_pk.get(_held_id(referring_to, entity)) for entity, by_pk in loaded.items()}
        found.append({entity: record for entity, record in records.items() if record and record.is_test == is_test})
    return found


def _held_id(referring_to: Mapping, entity: str) -> uuid.UUID | None:
    identifier = (referring_to.get(entity) or {}).get("id")
    try:
        return uuid.UUID(str(identifier)) if identifier else None
    except ValueError:
        return None


def contact_values(contact: Contact) -> dict:
    """What #contact_information.<attribute> (and an account owner's) can name."""
    return {
        "id": contact.id.hex.upper(),
        "code": contact.code,
        "type": contact.contact_type,
        "title": contact.title,
        "first_name": contact.first_name,
        "middle_name": contact.middle_name,
        "last_name": contact.last_name,
        "name": contact.full_name,
        "company_name": contact.company_name,
        "email": contact.email,
        "phone": contact.phone,
        "id_number": contact.id_number,
    }


def entity_values(entity: str, record) -> dict:
    if entity == "accounts_receivable":
        return {
            "id": record.id.hex.upper(),
            "number": record.number,
            "name": record.name,
            "life_cycle_state": record.state,
            "currency": record.currency_code,
            "balance": record.balance,
            "overdue_amount": record.overdue_amount,
            "credit_limit": record.credit_limit,
            "account_owner": contact_values(record.contact),
        }
    return {
        "id": record.id.hex.upper(),
        "number": record.number,
        "code": record.code,
        "subject": record.subject,
        "life_cycle_state": record.state,
        "media": record.media,
        "direction": record.direction,
    }
