"""Initialize: one message to many recipients, each their own correspondence of the customer, all created
ready to publish at the requested time, or none of them."""

import logging
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import InvalidValue
from accounts.history import record_history
from accounts.models import ApiKey, Contact

from ...errors.dispatches import (
    AttachmentNotPublished,
    AttachmentOfAnotherSender,
    DueDateBeforePublish,
    DueDateInPast,
    DueDateRequired,
    DuplicateIdempotentKey,
    DuplicateRecipients,
    ExistingAttachmentNotFound,
    TooManyAttachments,
    UnknownRecipients,
)
from ...models import (
    AttachmentStatus,
    Correspondence,
    CorrespondenceSection,
    CorrespondenceType,
    Dispatch,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    DispatchedCorrespondenceStatusEvent,
    NotificationOrder,
    SharedAttachment,
)
from ...recipients import Recipient
from ..letters.numbering import assign_numbers
from ..letters.records import validate_content
from ..letters.rendering import request_renders
from .orders import NotificationRequest, check_notification_texts, new_order, notification_fields
from .publish import schedule_publishing

log = logging.getLogger(__name__)

DIGITAL_MESSAGE_TYPE = "Digital message"
# The sections of the letter a dispatch's correspondence prints, from the message's parts.
DIGITAL_MESSAGE_SECTIONS = [("title", "", True, True), ("summary", "", False, False), ("body", "", True, False)]
MAX_RECIPIENTS = 500
MAX_ATTACHMENTS = 100


@dataclass(frozen=True)
class MessageContent:
    language: str
    title: str
    body: str
    summary: str = ""


@dataclass(frozen=True)
class Initialized:
    """What an Initialize created: the dispatch, and for each recipient in order its correspondence and orders."""

    dispatch: Dispatch
    correspondences: list[tuple[DispatchedCorrespondence, list[NotificationOrder]]]
    attachments: list[SharedAttachment]


@transaction.atomic
def digital_message_type() -> CorrespondenceType:
    """The letter type a dispatch's correspondence is filed under, created with its sections on first use.

    Type and sections commit together, so a concurrent first dispatch waits for both rather than
    seeing a type without sections.
    """
    kind, created = CorrespondenceType.objects.get_or_create(
        name=DIGITAL_MESSAGE_TYPE,
        defaults={"description": "Messages sent to many recipients through /correspondence/api/v1/."},
    )
    if created:
        CorrespondenceSection.objects.bulk_create(
            CorrespondenceSection(
                correspondence_type=kind, key=key, heading=heading, required=required, bold=bold, position=position
            )
            for position, (key, heading, required, bold) in enumerate(DIGITAL_MESSAGE_SECTIONS, start=1)
        )
    return kind


def _match_customers(recipients: list[Recipient], is_test: bool) -> list[Contact]:
    """The customer of each recipient, by organisation or national identity number; the oldest when several match."""
    contacts = Contact.objects.in_mode(is_test).order_by("-created_on")
    by_org = {
        c.org_number: c for c in contacts.filter(org_number__in=[r.number for r in recipients if r.is_organisation])
    }
    by_id = {
        c.id_number: c for c in contacts.filter(id_number__in=[r.number for r in recipients if not r.is_organisation])
    }
    customers = [(by_org if r.is_organisation else by_id).get(r.number) for r in recipients]
    unknown = [r.display for r, customer in zip(recipients, customers, strict=True) if customer is None]
    if unknown:
        raise UnknownRecipients(unknown)
    return customers


def _shared_attachments(sender: ApiKey, identifiers: list) -> list[SharedAttachment]:
    if len(identifiers) > MAX_ATTACHMENTS:
        raise TooManyAttachments(
            f"A correspondence cannot contain more than {MAX_ATTACHMENTS} attachments in total",
            field="existingAttachments",
        )
    found = {a.pk: a for a in SharedAttachment.objects.in_mode(sender.is_test).filter(pk__in=identifiers)}
    attachments = []
    for identifier in dict.fromkeys(identifiers):
        attachment = found.get(identifier)
        if attachment is None:
            raise ExistingAttachmentNotFound(
                f"Existing attachment not found: {identifier}", field="existingAttachments"
            )
        if attachment.sender_id != sender.pk:
            raise AttachmentOfAnotherSender(
                f"The sender of the correspondence must be equal the sender of existing attachments: {identifier}",
                field="existingAttachments",
            )
        if attachment.status != AttachmentStatus.PUBLISHED:
            raise AttachmentNotPublished(
                f"Attachment is not published: {identifier} is {attachment.status}", field="existingAttachments"
            )
        attachments.append(attachment)
    return attachments


def _check_schedule(publish_at, due_date_time, is_confirmation_needed: bool, now) -> None:
    if due_date_time is None:
        if is_confirmation_needed:
            raise DueDateRequired("DueDateTime is required when confirmation is needed", field="dueDateTime")
        return
    if due_date_time < now:
        raise DueDateInPast("DueDateTime cannot be prior to today", field="dueDateTime")
    if due_date_time < publish_at:
        raise DueDateBeforePublish("DueDateTime cannot be prior to RequestedPublishTime", field="dueDateTime")


def initialize_dispatch(
    *,
    sender: ApiKey,
    recipients: list[Recipient],
    content: MessageContent,
    senders_reference: str,
    requested_publish_time=None,
    due_date_time=None,
    is_confirmation_needed: bool = False,
    notification: NotificationRequest | None = None,
    existing_attachments=(),
    idempotent_key=None,
    resource_id: str = "",
    message_sender: str = "",
) -> Initialized:
    """Create one correspondence per recipient, all ready to publish at the requested time, or refuse them all."""
    now = timezone.now()
    if not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise InvalidValue(f"A dispatch has 1 to {MAX_RECIPIENTS} recipients.", field="recipients")
    repeated = [recipient.display for recipient, count in Counter(recipients).items() if count > 1]
    if repeated:
        raise DuplicateRecipients(f"Recipients must be unique: {', '.join(repeated)}", field="recipients")
    publish_at = requested_publish_time or now
    _check_schedule(publish_at, due_date_time, is_confirmation_needed, now)
    if notification is not None:
        check_notification_texts(notification)
    attachments = _shared_attachments(sender, list(existing_attachments))
    if idempotent_key and Dispatch.objects.filter(sender=sender, idempotent_key=idempotent_key).exists():
        raise DuplicateIdempotentKey("A correspondence with the same idempotent key already exists")
    customers = _match_customers(recipients, sender.is_test)
    kind = digital_message_type()
    sections = {"title": content.title, "summary": content.summary, "body": content.body}
    letter_content = validate_content(kind, {key: sections[key] for key in kind.sections.values_list("key", flat=True)})
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                sender=sender,
                is_test=sender.is_test,
                idempotent_key=idempotent_key,
                resource_id=resource_id,
                senders_reference=senders_reference,
                message_sender=message_sender,
                language=content.language,
                message_title=content.title,
                message_summary=content.summary,
                message_body=content.body,
                requested_publish_time=requested_publish_time,
                publish_at=publish_at,
                due_date_time=due_date_time,
                is_confirmation_needed=is_confirmation_needed,
                **notification_fields(notification),
            )
            dispatch.attachments.set(attachments)
            numbers = assign_numbers([customer.pk for customer in customers])
            letters = Correspondence.objects.bulk_create(
                Correspondence(
                    customer=customer,
                    is_test=sender.is_test,
                    correspondence_type=kind,
                    number=number,
                    correspondence_date=timezone.localdate(now),
                    content=letter_content,
                )
                for customer, number in zip(customers, numbers, strict=True)
            )
            dispatched, events, orders, created = [], [], [], []
            for letter, recipient, customer in zip(letters, recipients, customers, strict=True):
                correspondence = DispatchedCorrespondence(
                    correspondence=letter,
                    dispatch=dispatch,
                    is_test=sender.is_test,
                    recipient=recipient.display,
                    publish_at=publish_at,
                    created_on=now,
                )
                events.append(correspondence.change_status(DispatchedCorrespondenceStatus.INITIALIZED, now))
                # Every attachment is already published, so nothing holds the correspondence back.
                events.append(correspondence.change_status(DispatchedCorrespondenceStatus.READY_FOR_PUBLISH, now))
                dispatched.append(correspondence)
                own = []
                if notification is not None:
                    own.append(new_order(correspondence, customer, notification.channel, False))
                    if notification.send_reminder:
                        channel = notification.reminder_channel or notification.channel
                        own.append(new_order(correspondence, customer, channel, True))
                orders += own
                created.append((correspondence, own))
            DispatchedCorrespondence.objects.bulk_create(dispatched)
            record_history(letters, created=True)
            record_history(dispatched, created=True)
            DispatchedCorrespondenceStatusEvent.objects.bulk_create(events)
            NotificationOrder.objects.bulk_create(orders)
    except IntegrityError:
        if idempotent_key and Dispatch.objects.filter(sender=sender, idempotent_key=idempotent_key).exists():
            raise DuplicateIdempotentKey("A correspondence with the same idempotent key already exists") from None
        raise
    transaction.on_commit(partial(request_renders, [letter.pk for letter in letters]))
    transaction.on_commit(partial(schedule_publishing, dispatch.pk, publish_at))
    log.info(
        "dispatch.initialized id=%s sender=%s recipients=%d publish_at=%s test=%s",
        dispatch.pk,
        sender.pk,
        len(dispatched),
        publish_at.isoformat(),
        dispatch.is_test,
    )
    return Initialized(dispatch, created, attachments)
