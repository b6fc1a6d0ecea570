"""Creating, changing, completing and viewing communications."""

import logging
import re
from collections.abc import Mapping
from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.actors import current_actor
from accounts.errors import Conflict, IllegalTransition, InvalidValue, MissingValue, NotFound, literal
from accounts.history import insert_with_history
from accounts.models import Contact
from accounts.numbering import Series
from accounts.selectors import owning_group_of
from communications import placeholders, referring
from communications.formatting import parse_date_time
from communications.models import (
    UDF_DATE_FIELDS,
    UDF_FLOAT_FIELDS,
    UDF_STRING_FIELDS,
    Communication,
    CommunicationState,
    Direction,
    Media,
    UnrestrictedParameter,
)
from communications.outbound import send_email, send_sms

from .parameters import apply_parameter_action, checked_text, new_parameter
from .queue import enqueue

log = logging.getLogger(__name__)

UDF_FIELDS = UDF_STRING_FIELDS + UDF_FLOAT_FIELDS + UDF_DATE_FIELDS
# Changeable attributes; the identifiers of related records arrive already resolved to records.
RELATED = ("template", "category", "queue_external_system", "owned_by_group", "privacy_level")
ADDRESS_SEPARATOR = re.compile(r"[,;]")
SUBJECT_MAX = Communication._meta.get_field("subject").max_length


def _actor_fields(*, created: bool) -> dict:
    """CRM.COM's log information: the user or API key acting, for the record's created/updated by."""
    actor = current_actor()
    fields = {"updated_by_user": actor.user, "updated_by_key": actor.api_key}
    if created:
        fields |= {"created_by_user": actor.user, "created_by_key": actor.api_key}
    return fields


# The next of one series gives both the code and, unless the caller chose one, the CM number.
NUMBERS = Series("communication", "CM", 6, Communication, "number", code="code")


def create_communication(
    *,
    is_test: bool,
    contact: Contact,
    state: str = CommunicationState.COMPLETED,
    number: str | None = None,
    referring_to: Mapping | None = None,
    parameters: list[Mapping] = (),
    **attributes,
) -> Communication:
    """A new communication; with a template, it fills what the caller did not give.

    Everything is checked before anything is written. A create that writes nothing else draws
    its number in the statement that inserts it; one that does (parameters, work after completion)
    draws it in its own short statement first, so concurrent creates do not queue behind each
    other's transactions, and a failure after that leaves a gap in the series, never a reused number.
    """
    if contact.is_test != is_test:
        raise NotFound("contact information", contact.id.hex.upper())
    if state not in CommunicationState.values:
        raise InvalidValue("{field} accepts DRAFT or COMPLETED.", field="state", label="The state")
    if number and Communication.objects.filter(number=number).exists():
        raise Conflict(f"A communication with number {number} already exists.", field="number")
    communication = Communication(
        is_test=is_test, contact=contact, state=CommunicationState.DRAFT, **_actor_fields(created=True)
    )
    template = attributes.get("template")
    if attributes.get("owned_by_group") is None:
        # As CRM.COM does: what a user creates without naming a group belongs to the user's own.
        attributes = {**attributes, "owned_by_group": owning_group_of(current_actor().user)}
    _apply_attributes(communication, attributes)
    given = {name for name in ("direction", "media", "subject", "content") if attributes.get(name) is not None}
    _fill_from_template(communication, template, skip=given)
    for name in ("direction", "media", "subject", "content"):
        if not getattr(communication, name):
            raise MissingValue(name, f"{name} is required unless a template gives it.")
    communication.from_address = communication.from_address or _default_sender(communication)
    communication.referring_to = {
        k: v for k, v in referring.normalise(referring_to, is_test=is_test, contact=contact).items() if v is not None
    }
    _check_addresses(communication)
    new_parameters: list[UnrestrictedParameter] = []
    for spec in parameters:
        new_parameters.append(new_parameter(communication, spec, new_parameters))
    _render(communication, subject=True, content=True, parameters=new_parameters)
    if state == CommunicationState.COMPLETED:
        communication.state = CommunicationState.COMPLETED
        communication.completed_on = timezone.now()
    communication.number = number or ""
    completed = communication.state == CommunicationState.COMPLETED
    # With nothing else to write, the number's draw, the record and its snapshot are one statement, atomic by
    # itself. Otherwise the number is drawn first, so concurrent creates do not queue behind the transaction.
    alone = not new_parameters and not (completed and _work_after_completion(communication))
    if not alone:
        NUMBERS.assign(communication)
    with nullcontext() if alone else transaction.atomic():
        insert_with_history(communication, NUMBERS if alone else None)
        UnrestrictedParameter.objects.bulk_create(new_parameters)
        log.info(
            "communication.created id=%s number=%s media=%s state=%s test=%s",
            communication.id,
            communication.number,
            communication.media,
            communication.state,
            is_test,
        )
        if completed:
            _after_completion(communication)
    _parameters_known(communication, new_parameters)
    return communication


def _parameters_known(communication: Communication, parameters: list[UnrestrictedParameter]) -> None:
    """The new communication's parameters are the ones just written: whoever shows it reads these, not the table."""
    known = communication.parameters.all()
    known._result_cache = sorted(parameters, key=lambda parameter: (parameter.created_on, parameter.name))
    known._prefetch_done = True
    communication._prefetched_objects_cache = {"parameters": known}


@transaction.atomic
def update_communication(
    communication: Communication,
    *,
    changes: Mapping,
    parameter_actions: list[Mapping] = (),
    referring_to: Mapping | None = None,
) -> Communication:
    """Change a DRAFT: attributes not given stay, attributes given as None become empty."""
    communication = Communication.objects.select_for_update().get(pk=communication.pk)
    if communication.state != CommunicationState.DRAFT:
        raise IllegalTransition(
            f"Communication {communication.number} is {communication.state}; only DRAFT communications can be updated.",
            field="communication",
        )
    changes = dict(changes)
    state = changes.pop("state", None)
    if state is not None and state not in CommunicationState.values:
        raise InvalidValue("{field} accepts DRAFT or COMPLETED.", field="state", label="The state")
    for name in ("direction", "media"):
        if name in changes and changes[name] is None:
            raise InvalidValue(f"{name} cannot be emptied.", field=name)
    _apply_attributes(communication, changes)
    template = changes.get("template")
    given = {name for name in ("direction", "media", "subject", "content") if name in changes}
    _fill_from_template(communication, template, skip=given)
    if referring_to is not None:
        given = referring.normalise(referring_to, is_test=communication.is_test, contact=communication.contact)
        merged = {**communication.referring_to, **given}
        communication.referring_to = {k: v for k, v in merged.items() if v is not None}
    _check_addresses(communication)
    communication.updated_on = timezone.now()
    for name, value in _actor_fields(created=False).items():
        setattr(communication, name, value)
    communication.save()
    for action in parameter_actions:
        apply_parameter_action(communication, action)
    templated = template is not None
    _render(
        communication,
        subject="subject" in changes or templated,
        content="content" in changes or templated,
    )
    communication.save(update_fields=["subject", "content"])
    log.info("communication.updated id=%s fields=%s", communication.id, ",".join(sorted(changes)))
    if state == CommunicationState.COMPLETED:
        _complete(communication)
    return communication


@transaction.atomic
def complete_communication(communication: Communication) -> Communication:
    """DRAFT → COMPLETED, then queue it for its external system or send it ourselves."""
    communication = Communication.objects.select_for_update().get(pk=communication.pk)
    if communication.state != CommunicationState.DRAFT:
        raise IllegalTransition(
            f"Communication {communication.number} is {communication.state}; "
            "only DRAFT communications can be completed.",
            field="communication",
        )
    for name, value in _actor_fields(created=False).items():
        setattr(communication, name, value)
    _complete(communication)
    return communication


def _complete(communication: Communication) -> None:
    communication.state = CommunicationState.COMPLETED
    communication.completed_on = timezone.now()
    communication.save()
    _after_completion(communication)


def _work_after_completion(communication: Communication) -> bool:
    return bool(communication.queue_external_system_id) or _sent_by_us(communication)


def _sent_by_us(communication: Communication) -> bool:
    return communication.direction == Direction.OUTGOING and communication.media in (Media.EMAIL, Media.SMS)


def _after_completion(communication: Communication) -> None:
    """Queue it for its external system, or send it ourselves when it is an outgoing email or SMS."""
    log.info("communication.completed id=%s number=%s", communication.id, communication.number)
    if communication.queue_external_system_id:
        enqueue(communication)
    elif _sent_by_us(communication):
        _send(communication)


def _send(communication: Communication) -> None:
    common = {
        "is_test": communication.is_test,
        "source_type": "communications.communication",
        "source_id": str(communication.id),
        "communication": communication,
    }
    if communication.media == Media.EMAIL:
        send_email(
            to=_addresses(communication.to_address),
            subject=communication.subject,
            body=communication.content,
            from_email=communication.from_address,
            **common,
        )
        return
    number = _addresses(communication.to_address)[:1] or [communication.contact.phone]
    if not number[0]:
        raise MissingValue(
            "to_address", "An outgoing SMS needs a number in {field}, or a phone number on the contact.", label="To"
        )
    send_sms(to=number[0], body=communication.content, **common)


@transaction.atomic
def set_as_viewed(communication: Communication, *, viewed_on=None) -> Communication:
    communication = Communication.objects.select_for_update().get(pk=communication.pk)
    if communication.state != CommunicationState.COMPLETED:
        raise IllegalTransition(
            f"Communication {communication.number} is {communication.state}; only COMPLETED communications "
            "can be set as viewed.",
            field="communication",
        )
    communication.viewed_on = viewed_on or timezone.now()
    for name, value in _actor_fields(created=False).items():
        setattr(communication, name, value)
    communication.save()
    log.info("communication.viewed id=%s viewed_on=%s", communication.id, communication.viewed_on.isoformat())
    return communication


def _apply_attributes(communication: Communication, attributes: Mapping) -> None:
    for name, value in attributes.items():
        if name in RELATED:
            setattr(communication, name, value)
        elif name in ("direction", "media"):
            if value is not None:
                choices = Direction if name == "direction" else Media
                if value not in choices.values:
                    raise InvalidValue(f"{name} accepts {', '.join(choices.values)}.", field=name)
                setattr(communication, name, value)
        elif name in ("subject", "content"):
            setattr(communication, name, value or "")
        elif name == "to":
            communication.to_address = (value or "").strip()
        elif name == "notes":
            communication.notes = value
        elif name in UDF_FIELDS:
            setattr(communication, name, _udf(name, value))
        else:
            raise InvalidValue(f"{name} is not an attribute of a communication.", field=name)


def _udf(name: str, value):
    if value is None:
        return None
    if name in UDF_FLOAT_FIELDS:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise InvalidValue(f"{name} must be a number.", field=name) from None
    if name in UDF_DATE_FIELDS:
        return parse_date_time(value, name)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidValue(f"{name} must be a text.", field=name)
    return checked_text(value, name, 255)


def _fill_from_template(communication: Communication, template, *, skip: set) -> None:
    if template is None:
        return
    for name in ("direction", "media", "subject", "content"):
        if name not in skip and getattr(template, name):
            setattr(communication, name, getattr(template, name))
    if template.category_id and communication.category_id is None:
        communication.category = template.category
    if template.from_address:
        communication.from_address = template.from_address


def _default_sender(communication: Communication) -> str:
    return settings.DEFAULT_FROM_EMAIL if communication.media == Media.EMAIL else ""


def _addresses(text: str) -> list[str]:
    return [part.strip() for part in ADDRESS_SEPARATOR.split(text or "") if part.strip()]


def _check_addresses(communication: Communication) -> None:
    if communication.media != Media.EMAIL:
        return
    addresses = _addresses(communication.to_address)
    if not addresses:
        raise MissingValue("to_address", "{field} is required when the media is EMAIL.", label="To")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise InvalidValue(
                f"{literal(repr(address))} in {{field}} is not an email address.", field="to_address", label="To"
            ) from None


# Placeholders ------------------------------------------------------------------------------------


def placeholder_context(communication: Communication, parameters=None) -> dict:
    """Everything #placeholders may name: the contact, the referred entities, the unrestricted parameters. The
    referred records stay on the communication (`held_records`), so its answer shows them without reading again."""
    context: dict = {"contact_information": referring.contact_values(communication.contact)}
    held = referring.held_records(communication.referring_to, is_test=communication.is_test)
    communication.held_records = held
    for entity, identifier in communication.referring_to.items():
        record = held.get(entity)
        context[entity] = referring.entity_values(entity, record) if record is not None else dict(identifier or {})
    for parameter in communication.parameters.all() if parameters is None else parameters:
        context.setdefault(f"unrestricted_{parameter.type.lower()}", {})[parameter.name] = parameter.value
    return context


def _render(communication: Communication, *, subject: bool, content: bool, parameters=None) -> None:
    names = [name for name, wanted in (("subject", subject), ("content", content)) if wanted]
    # Without a `#` there is nothing to replace, and the context would cost its queries for nothing.
    if any("#" in (getattr(communication, name) or "") for name in names):
        context = placeholder_context(communication, parameters)
        for name in names:
            setattr(communication, name, placeholders.render(getattr(communication, name), context))
    for name in names:
        setattr(communication, name, getattr(communication, name) or "")
    if subject and len(communication.subject) > SUBJECT_MAX:
        raise InvalidValue(f"The subject is longer than {SUBJECT_MAX} characters once rendered.", field="subject")
