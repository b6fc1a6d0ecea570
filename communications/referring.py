"""`referring_to`: the entities a communication is about.

Every entity the public document lists is accepted. The ones this product holds (accounts receivable = financial
accounts, subscriptions, leads, service requests, communications) are resolved, checked and rendered in full; an
identifier that names none of them is refused. The others (payments, bills, jobs, …) are stored as given.
"""

import uuid
from collections.abc import Mapping

from accounts.errors import InvalidValue, NotFound
from accounts.models import Account, Contact, Lead, ServiceRequest, Subscription

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
    "subscription": {"id": "pk", "number": "number"},
    "lead": {"id": "pk", "number": "number"},
    "service_request": {"id": "pk", "number": "number"},
    "communication": {"id": "pk", "number": "number", "code": "code"},
}
# A customer's own records: a communication may refer only to those of its contact, since its text shows them.
OWN_RECORDS = ("subscription", "lead", "service_request")


def held_model(entity: str):
    from .models import Communication

    return {
        "accounts_receivable": Account,
        "subscription": Subscription,
        "lead": Lead,
        "service_request": ServiceRequest,
        "communication": Communication,
    }[entity]


def parse_uuid(value, entity: str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError:
        raise NotFound(entity, value) from None


def normalise(referring_to: Mapping | None, *, is_test: bool, contact: Contact | None = None) -> dict:
    """{entity: identifier or None} checked; held entities are resolved to {"id": "<uuid>"}. With `contact`, a
    subscription, lead or service request must be that contact's."""
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
        result[entity] = _resolve_held(entity, clean, is_test, contact) if entity in HELD_LOOKUPS else clean
    return result


def _resolve_held(entity: str, identifier: dict, is_test: bool, contact: Contact | None) -> dict:
    lookups = HELD_LOOKUPS[entity]
    unknown = set(identifier) - set(lookups)
    if unknown or len(identifier) != 1:
        raise InvalidValue(
            f"referring_to.{entity}_identifier takes one of {', '.join(lookups)}.",
            field=f"referring_to.{entity}_identifier",
        )
    ((field, value),) = identifier.items()
    queryset = held_model(entity).objects.in_mode(is_test)
    label = entity.replace("_", " ")
    value = parse_uuid(value, label) if field == "id" else value
    found = list(queryset.filter(**{lookups[field]: value})[:2])
    if not found:
        raise NotFound(label, value)
    if len(found) > 1:
        raise InvalidValue(f"More than one {label} has {field} {value}; use its id.", field=field)
    record = found[0]
    if entity in OWN_RECORDS and contact is not None and record.contact_id != contact.pk:
        raise InvalidValue(
            f"The {label} {record.number} belongs to another contact.",
            field=f"referring_to.{entity}_identifier",
            parameters=[f"referring_to.{entity}_identifier", str(value)],
        )
    return {"id": str(record.pk)}


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
    from .selectors import contacts_with_state

    loaded = {}
    for entity in HELD_LOOKUPS:
        ids = {_held_id(referring_to, entity) for referring_to, _ in references} - {None}
        if not ids:  # a kind of record none of the communications names costs no query
            loaded[entity] = {}
            continue
        records = held_model(entity).objects.filter(pk__in=ids)
        if entity == "subscription":
            records = records.select_related("type", "account")
        loaded[entity] = {record.pk: record for record in records}
    # Whose each record is: the owners of every kind in one query, annotated as CRM.COM shows a contact.
    owned = [
        record.account if entity == "subscription" else record
        for entity, by_pk in loaded.items()
        for record in by_pk.values()
    ]
    if owned:
        owners = contacts_with_state().in_bulk({record.contact_id for record in owned})
        for record in owned:
            record.contact = owners[record.contact_id]
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
    """What #<entity>.<attribute> can name of a held record, nested as seed 003 shows it
    (`#subscription.accounts_receivable.account_owner.first_name`, `#subscription.type.name`)."""
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
    if entity == "communication":
        return {
            "id": record.id.hex.upper(),
            "number": record.number,
            "code": record.code,
            "subject": record.subject,
            "life_cycle_state": record.state,
            "media": record.media,
            "direction": record.direction,
        }
    values = {
        "id": record.id.hex.upper(),
        "number": record.number,
        "life_cycle_state": record.state,
        "created_date": record.created_on,
    }
    if entity == "subscription":
        kind = record.type
        return values | {
            "type": kind
            and {
                "id": kind.id.hex.upper(),
                "name": kind.name,
                "alternative_code": kind.alternative_code,
                "description": kind.description,
            },
            "effective_date": record.effective_on,
            "accounts_receivable": entity_values("accounts_receivable", record.account),
        }
    values |= {"description": record.description, "contact_information": contact_values(record.contact)}
    return values | {"title": record.title} if entity == "lead" else values
