"""Dispatches: one message to many recipients, each their own correspondence, published and notified."""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.background import start_task, start_task_after_commit
from accounts.errors import DomainError, InvalidValue
from accounts.models import ApiKey, Contact, NumberSequence
from communications.services import send_email, send_sms

from ..errors import (
    AttachmentNotPublished,
    AttachmentOfAnotherSender,
    DueDateBeforePublish,
    DueDateInPast,
    DueDateRequired,
    DuplicateIdempotentKey,
    DuplicateRecipients,
    ExistingAttachmentNotFound,
    MissingNotificationText,
    TooManyAttachments,
    UnknownRecipients,
)
from ..models import (
    AttachmentStatus,
    Correspondence,
    CorrespondenceSection,
    CorrespondenceType,
    Delivery,
    DeliveryStatus,
    DeliveryStatusEvent,
    Dispatch,
    NotificationChannel,
    NotificationOrder,
    NotificationOrderStatus,
    NotificationState,
    NotificationTemplate,
    SharedAttachment,
)
from ..recipients import Recipient
from .correspondence import validate_content

log = logging.getLogger(__name__)

DIGITAL_MESSAGE_TYPE = "Digital message"
# The sections of the letter a dispatch's correspondence prints, from the message's parts.
DIGITAL_MESSAGE_SECTIONS = [("title", "", True, True), ("summary", "", False, False), ("body", "", True, False)]
MAX_RECIPIENTS = 500
MAX_ATTACHMENTS = 100
# A publish time further away than this is left to the sweep: Celery's Redis transport redelivers
# tasks held longer than its visibility timeout (one hour), and the sweep needs no broker memory.
ETA_HORIZON = timedelta(minutes=50)
GENERIC_TEXTS = {
    "en": ("New message: {title}", "You have received a new message.\n\n{title}\n{summary}", "New message: {title}"),
    "nb": ("Ny melding: {title}", "Du har mottatt en ny melding.\n\n{title}\n{summary}", "Ny melding: {title}"),
    "nn": ("Ny melding: {title}", "Du har fått ei ny melding.\n\n{title}\n{summary}", "Ny melding: {title}"),
}
REMINDER_PREFIX = {"en": "Reminder: ", "nb": "Påminnelse: ", "nn": "Påminning: "}


@dataclass(frozen=True)
class MessageContent:
    language: str
    title: str
    body: str
    summary: str = ""


@dataclass(frozen=True)
class NotificationRequest:
    template: str
    channel: str = NotificationChannel.EMAIL
    email_subject: str = ""
    email_body: str = ""
    sms_body: str = ""
    send_reminder: bool = False
    reminder_channel: str = ""
    reminder_email_subject: str = ""
    reminder_email_body: str = ""
    reminder_sms_body: str = ""


@dataclass(frozen=True)
class Initialized:
    """What an Initialize created: the dispatch, and for each recipient in order its delivery and orders."""

    dispatch: Dispatch
    deliveries: list[tuple[Delivery, list[NotificationOrder]]]
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


def _assign_numbers(customer_ids: list) -> list[str]:
    """The next correspondence number of each customer, in order (a customer named twice gets two), never reused."""
    wanted = Counter(customer_ids)
    series = {pk: f"correspondence:{pk}" for pk in wanted}
    NumberSequence.objects.bulk_create([NumberSequence(name=name) for name in series.values()], ignore_conflicts=True)
    # Locked in one order, so two dispatches to overlapping customers queue instead of deadlocking.
    last = dict(
        NumberSequence.objects.select_for_update()
        .filter(name__in=series.values())
        .order_by("name")
        .values_list("name", "last_value")
    )
    taken = set(Correspondence.objects.filter(customer_id__in=wanted).values_list("customer_id", "number"))
    numbers, used = {}, Counter()
    for pk, count in wanted.items():
        value, free = last[series[pk]], []
        while len(free) < count:
            value += 1
            if (pk, str(value)) not in taken:
                free.append(str(value))
        numbers[pk], used[series[pk]] = iter(free), value - last[series[pk]]
    # One UPDATE per distinct step (almost always one: every customer moves on by one).
    for step in set(used.values()):
        names = [name for name, moved in used.items() if moved == step]
        NumberSequence.objects.filter(name__in=names).update(last_value=F("last_value") + step)
    return [next(numbers[pk]) for pk in customer_ids]


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


def _check_notification_texts(notification: NotificationRequest) -> None:
    """A custom message needs the texts of the channels it may use (Altinn's 3002–3007)."""
    if notification.template != NotificationTemplate.CUSTOM_MESSAGE:
        return
    needs = {
        NotificationChannel.EMAIL: ("email",),
        NotificationChannel.SMS: ("sms",),
        NotificationChannel.EMAIL_PREFERRED: ("email", "sms"),
        NotificationChannel.SMS_PREFERRED: ("email", "sms"),
        NotificationChannel.EMAIL_AND_SMS: ("email", "sms"),
    }
    checks = [("", notification.channel, False)]
    if notification.send_reminder:
        checks.append(("reminder", notification.reminder_channel or notification.channel, True))
    for prefix, channel, is_reminder in checks:
        texts = _texts(notification, is_reminder)
        email_missing = not (texts["email_subject"].strip() and texts["email_body"].strip())
        sms_missing = not texts["sms_body"].strip()
        kinds = needs[channel]
        words = "Reminder email body" if is_reminder else "Email body"
        if kinds == ("email", "sms") and (email_missing or sms_missing):
            kind = "reminder preferred" if is_reminder else "preferred"
            raise MissingNotificationText(
                f"{words}, subject and SMS body must be provided when sending {kind} notifications",
                error_code=3007 if is_reminder else 3006,
                field=f"correspondence.notification.{_camel(prefix, 'emailBody')}",
            )
        if kinds == ("email",) and email_missing:
            kind = "reminder email" if is_reminder else "email"
            raise MissingNotificationText(
                f"{words} and subject must be provided when sending {kind} notifications",
                error_code=3003 if is_reminder else 3002,
                field=f"correspondence.notification.{_camel(prefix, 'emailBody')}",
            )
        if kinds == ("sms",) and sms_missing:
            kind = "reminder SMS" if is_reminder else "SMS"
            raise MissingNotificationText(
                f"{'Reminder SMS' if is_reminder else 'SMS'} body must be provided when sending {kind} notifications",
                error_code=3005 if is_reminder else 3004,
                field=f"correspondence.notification.{_camel(prefix, 'smsBody')}",
            )


def _camel(prefix: str, name: str) -> str:
    return f"{prefix}{name[0].upper()}{name[1:]}" if prefix else name


def _texts(notification: NotificationRequest | Dispatch, is_reminder: bool) -> dict[str, str]:
    names = ("email_subject", "email_body", "sms_body")
    return {name: getattr(notification, f"reminder_{name}" if is_reminder else name) or "" for name in names}


def _phone_e164(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, settings.CORRESPONDENCE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email_valid(raw: str) -> bool:
    try:
        validate_email(raw)
    except ValidationError:
        return False
    return True


MISSING_DETAILS = {NotificationChannel.EMAIL: "email address", NotificationChannel.SMS: "phone number"}


def _channels_to_use(channel: str, *, has_email: bool, has_phone: bool) -> tuple[bool, bool]:
    """(by email, by SMS) for a channel, given which details the recipient has."""
    if channel == NotificationChannel.EMAIL:
        return has_email, False
    if channel == NotificationChannel.SMS:
        return False, has_phone
    if channel == NotificationChannel.EMAIL_PREFERRED:
        return has_email, has_phone and not has_email
    if channel == NotificationChannel.SMS_PREFERRED:
        return has_email and not has_phone, has_phone
    return has_email, has_phone


def _notification_order(delivery: Delivery, customer: Contact, channel: str, is_reminder: bool) -> NotificationOrder:
    """The order for one recipient: where it will go, or why it cannot, decided from the customer's details now."""
    email, phone = customer.email.strip(), customer.phone.strip()
    by_email, by_sms = _channels_to_use(channel, has_email=bool(email), has_phone=bool(phone))
    order = NotificationOrder(delivery=delivery, is_test=delivery.is_test, is_reminder=is_reminder, channel=channel)
    if not (by_email or by_sms):
        order.status, order.state = NotificationOrderStatus.MISSING_CONTACT, NotificationState.NOT_SENT
        order.state_text = f"The recipient has no {MISSING_DETAILS.get(channel, 'email address or phone number')}"
        return order
    phone_e164 = _phone_e164(phone) if by_sms else None
    unusable = []
    if by_email and not _email_valid(email):
        unusable.append(f"email address {email!r}")
    if by_sms and phone_e164 is None:
        unusable.append(f"phone number {phone!r}")
    if unusable:
        order.status, order.state = NotificationOrderStatus.FAILURE, NotificationState.NOT_SENT
        order.state_text = f"The recipient's {' and '.join(unusable)} cannot be used"
        return order
    order.status = NotificationOrderStatus.SUCCESS
    order.email, order.phone = (email if by_email else ""), (phone_e164 or "")
    order.state_text = "Waiting for the correspondence to be published"
    return order


def status_event(delivery: Delivery, status: str, now, text: str = "") -> DeliveryStatusEvent:
    """Move the delivery (the caller saves it) and return the history entry that records the step."""
    delivery.status, delivery.status_text, delivery.status_changed = status, text[:500], now
    return DeliveryStatusEvent(delivery=delivery, status=status, status_text=text[:500], changed_on=now)


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
        _check_notification_texts(notification)
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
                **_notification_fields(notification),
            )
            dispatch.attachments.set(attachments)
            numbers = _assign_numbers([customer.pk for customer in customers])
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
            deliveries, events, orders, created = [], [], [], []
            for letter, recipient, customer in zip(letters, recipients, customers, strict=True):
                delivery = Delivery(
                    correspondence=letter,
                    dispatch=dispatch,
                    is_test=sender.is_test,
                    recipient=recipient.display,
                    publish_at=publish_at,
                    created_on=now,
                )
                events.append(status_event(delivery, DeliveryStatus.INITIALIZED, now))
                # Every attachment is already published, so nothing holds the correspondence back.
                events.append(status_event(delivery, DeliveryStatus.READY_FOR_PUBLISH, now))
                deliveries.append(delivery)
                own = []
                if notification is not None:
                    own.append(_notification_order(delivery, customer, notification.channel, False))
                    if notification.send_reminder:
                        channel = notification.reminder_channel or notification.channel
                        own.append(_notification_order(delivery, customer, channel, True))
                orders += own
                created.append((delivery, own))
            Delivery.objects.bulk_create(deliveries)
            DeliveryStatusEvent.objects.bulk_create(events)
            NotificationOrder.objects.bulk_create(orders)
    except IntegrityError:
        if idempotent_key and Dispatch.objects.filter(sender=sender, idempotent_key=idempotent_key).exists():
            raise DuplicateIdempotentKey("A correspondence with the same idempotent key already exists") from None
        raise
    transaction.on_commit(partial(start_renders, [letter.pk for letter in letters]))
    transaction.on_commit(partial(schedule_publishing, dispatch.pk, publish_at))
    log.info(
        "dispatch.initialized id=%s sender=%s recipients=%d publish_at=%s test=%s",
        dispatch.pk,
        sender.pk,
        len(deliveries),
        publish_at.isoformat(),
        dispatch.is_test,
    )
    return Initialized(dispatch, created, attachments)


def _notification_fields(notification: NotificationRequest | None) -> dict:
    if notification is None:
        return {}
    return {
        "notification_template": notification.template,
        "notification_channel": notification.channel,
        "email_subject": notification.email_subject,
        "email_body": notification.email_body,
        "sms_body": notification.sms_body,
        "send_reminder": notification.send_reminder,
        "reminder_channel": (notification.reminder_channel or notification.channel)
        if notification.send_reminder
        else "",
        "reminder_email_subject": notification.reminder_email_subject,
        "reminder_email_body": notification.reminder_email_body,
        "reminder_sms_body": notification.reminder_sms_body,
    }


RENDER_CHUNK = 100


def start_renders(correspondence_ids: list) -> None:
    """Hand a dispatch's letters to the `pdf` queue in chunks: one message per hundred, not one per letter.
    The letters' own sweep renders what no task was started for."""
    for start in range(0, len(correspondence_ids), RENDER_CHUNK):
        start_task("correspondence.render_pdfs", [str(pk) for pk in correspondence_ids[start : start + RENDER_CHUNK]])


def schedule_publishing(dispatch_id, publish_at) -> None:
    """Wake a worker at the publish time; a broker that is down, or a time far away, is left to the sweep."""
    wait = publish_at - timezone.now()
    # In-process tasks cannot wait: a later time is left to the sweep (beat, or `manage.py publish_due`).
    if wait > ETA_HORIZON or (wait.total_seconds() > 0 and settings.CELERY_TASK_ALWAYS_EAGER):
        return
    eta = publish_at if wait.total_seconds() > 0 else None
    start_task("correspondence.publish_dispatch", str(dispatch_id), eta=eta)


PUBLISH_BATCH = 500
NOTIFY_BATCH = 100


def publish_due_deliveries(*, dispatch_id=None) -> int:
    """Publish every delivery whose time has come, a batch per transaction; returns how many were decided.

    Each batch is claimed with SELECT … FOR UPDATE SKIP LOCKED and decided in one transaction, so a
    worker that dies leaves its batch untouched for the next, and two workers never take the same one.
    """
    decided = 0
    while batch := _publish_batch(dispatch_id):
        decided += batch
        if batch < PUBLISH_BATCH:
            break
    return decided


def _publish_batch(dispatch_id) -> int:
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=DeliveryStatus.READY_FOR_PUBLISH, publish_at__lte=now
        )
        if dispatch_id is not None:
            due = due.filter(dispatch_id=dispatch_id)
        deliveries = list(due.order_by("publish_at")[:PUBLISH_BATCH])
        if not deliveries:
            return 0
        unpublished = _unpublished_attachments({delivery.dispatch_id for delivery in deliveries})
        events, published, failed = [], [], []
        for delivery in deliveries:
            names = unpublished.get(delivery.dispatch_id)
            if names:
                events.append(status_event(delivery, DeliveryStatus.FAILED, now, f"Attachments not published: {names}"))
                failed.append(delivery)
            else:
                delivery.published_on = now
                events.append(status_event(delivery, DeliveryStatus.PUBLISHED, now))
                published.append(delivery)
        Delivery.objects.bulk_update(deliveries, ["status", "status_text", "status_changed", "published_on"])
        DeliveryStatusEvent.objects.bulk_create(events)
        pending = NotificationOrder.objects.filter(state=NotificationState.PENDING)
        pending.filter(delivery__in=published, is_reminder=False).update(
            send_after=now, state_text="Due: the correspondence is published", state_changed=now
        )
        remind_at = now + timedelta(seconds=settings.CORRESPONDENCE_REMINDER_DELAY_SECONDS)
        pending.filter(delivery__in=published, is_reminder=True).update(
            send_after=remind_at,
            state_text=f"Due at {remind_at.isoformat()} if the correspondence is still unread",
            state_changed=now,
        )
        pending.filter(delivery__in=failed).update(
            state=NotificationState.CANCELLED,
            state_text="Cancelled: the correspondence failed before it was published",
            state_changed=now,
        )
        start_task_after_commit("correspondence.send_notifications")
    for delivery in deliveries:
        log.info("delivery.%s id=%s dispatch=%s", delivery.status.lower(), delivery.pk, delivery.dispatch_id)
    return len(deliveries)


def _unpublished_attachments(dispatch_ids) -> dict:
    """For each dispatch with an attachment that is not (or no longer) published, the names of those."""
    through = Dispatch.attachments.through.objects.filter(dispatch_id__in=dispatch_ids).exclude(
        sharedattachment__status=AttachmentStatus.PUBLISHED
    )
    found: dict = {}
    for dispatch_id, name in through.values_list("dispatch_id", "sharedattachment__file_name"):
        found[dispatch_id] = f"{found[dispatch_id]}, {name}" if dispatch_id in found else name
    return found


NOTIFICATION_SOURCE = "correspondence.notification"


def send_due_notifications() -> int:
    """Hand every due notification to the outbound channel, exactly once, a batch per transaction."""
    handed = 0
    while batch := _notification_batch():
        handed += batch
        if batch < NOTIFY_BATCH:
            break
    return handed


def _notification_batch() -> int:
    now = timezone.now()
    with transaction.atomic():
        orders = list(
            NotificationOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=NotificationState.PENDING, send_after__lte=now)
            .select_related("delivery__dispatch")
            .order_by("send_after")[:NOTIFY_BATCH]
        )
        for order in orders:
            _hand_over(order, now)
        NotificationOrder.objects.bulk_update(orders, ["state", "state_text", "state_changed", "message_ids"])
    return len(orders)


def _hand_over(order: NotificationOrder, now) -> None:
    """Queue the order's email and SMS in the outbound channel; the rows commit with the order's new state."""
    delivery = order.delivery
    order.state_changed = now
    if delivery.status != DeliveryStatus.PUBLISHED and (order.is_reminder or delivery.is_purged):
        order.state = NotificationState.CANCELLED
        order.state_text = f"Cancelled: the correspondence is {delivery.status}"
        return
    dispatch = delivery.dispatch
    subject, body, sms = _notification_texts(dispatch, order.is_reminder)
    common = {"is_test": order.is_test, "source_type": NOTIFICATION_SOURCE, "source_id": str(order.pk)}
    try:
        with transaction.atomic():
            messages = []
            if order.email:
                messages.append(send_email(to=[order.email], subject=subject, body=body, **common))
            if order.phone:
                messages.append(send_sms(to=order.phone, body=sms, **common))
    except DomainError as error:
        order.state, order.state_text = NotificationState.FAILED, f"The outbound channel refused it: {error.message}"
        log.warning("notification.refused id=%s error=%s", order.pk, error.message)
        return
    order.state = NotificationState.QUEUED
    order.state_text = "Handed to the outbound channel"
    order.message_ids = [str(message.pk) for message in messages]
    log.info("notification.queued id=%s delivery=%s reminder=%s", order.pk, delivery.pk, order.is_reminder)


def _notification_texts(dispatch: Dispatch, is_reminder: bool) -> tuple[str, str, str]:
    """(email subject, email body, SMS) of a dispatch's notification or reminder."""
    if dispatch.notification_template == NotificationTemplate.CUSTOM_MESSAGE:
        texts = _texts(dispatch, is_reminder)
        return texts["email_subject"], texts["email_body"], texts["sms_body"]
    subject, body, sms = GENERIC_TEXTS.get(dispatch.language, GENERIC_TEXTS["en"])
    values = {"title": dispatch.message_title, "summary": dispatch.message_summary}
    prefix = REMINDER_PREFIX.get(dispatch.language, REMINDER_PREFIX["en"]) if is_reminder else ""
    return prefix + subject.format(**values), body.format(**values).strip(), prefix + sms.format(**values)


def record_notification_outcome(order_id, *, sent: bool, error: str = "", when=None) -> bool:
    """What the outbound channel reports: a sent message makes the order Sent, a failed one Failed unless sent."""
    now = when or timezone.now()
    orders = NotificationOrder.objects.filter(pk=order_id)
    if sent:
        changed = orders.filter(state__in=[NotificationState.QUEUED, NotificationState.FAILED]).update(
            state=NotificationState.SENT, state_text="Sent", sent_on=now, state_changed=now
        )
    else:
        changed = orders.filter(state=NotificationState.QUEUED).update(
            state=NotificationState.FAILED, state_text=f"The outbound channel failed: {error}"[:500], state_changed=now
        )
    if changed:
        log.info("notification.%s id=%s", "sent" if sent else "failed", order_id)
    return bool(changed)
