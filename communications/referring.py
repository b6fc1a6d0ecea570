"""`referring_to`: the entities a communication is about.

Every entity the public document lists is accepted and its identifier stored as given, whether or
not this product holds such records; the ones we do hold (accounts receivable = financial accounts,
communications) are resolved, checked and rendered in full.
"""

import uuid
from collections.abc import Mapping

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
    from .models import Communication

    records = {}
    account = referring_to.get("accounts_receivable") or {}
    if account.get("id"):
        records["accounts_receivable"] = (
            Account.objects.in_mode(is_test).select_related("contact").filter(pk=account["id"]).first()
        )
    communication = referring_to.get("communication") or {}
    if communication.get("id"):
        records["communication"] = (
            Communication.objects.in_mode(is_test).select_related("contact").filter(pk=communication["id"]).first()
        )
    return {entity: record for entity, record in records.items() if record is not None}


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
