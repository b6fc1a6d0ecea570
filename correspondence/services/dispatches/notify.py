"""Notifying: each due notification order handed to the outbound channel exactly once, and what the channel
reports about it."""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from communications.services import send_email, send_sms

from ...models import (
    Dispatch,
    DispatchedCorrespondenceStatus,
    NotificationOrder,
    NotificationState,
    NotificationTemplate,
)
from .orders import custom_texts

log = logging.getLogger(__name__)

NOTIFY_BATCH = 100
# What the outbound messages of notifications are marked with, so the channel's signals find their order.
NOTIFICATION_SOURCE = "correspondence.notification"
GENERIC_TEXTS = {
    "en": ("New message: {title}", "You have received a new message.\n\n{title}\n{summary}", "New message: {title}"),
    "nb": ("Ny melding: {title}", "Du har mottatt en ny melding.\n\n{title}\n{summary}", "Ny melding: {title}"),
    "nn": ("Ny melding: {title}", "Du har fått ei ny melding.\n\n{title}\n{summary}", "Ny melding: {title}"),
}
REMINDER_PREFIX = {"en": "Reminder: ", "nb": "Påminnelse: ", "nn": "Påminning: "}


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
            .select_related("dispatched_correspondence__dispatch")
            .order_by("send_after")[:NOTIFY_BATCH]
        )
        for order in orders:
            _hand_over(order, now)
        NotificationOrder.objects.bulk_update(orders, ["state", "state_text", "state_changed", "message_ids"])
    return len(orders)


def _hand_over(order: NotificationOrder, now) -> None:
    """Queue the order's email and SMS in the outbound channel; the rows commit with the order's new state."""
    correspondence = order.dispatched_correspondence
    order.state_changed = now
    if correspondence.status != DispatchedCorrespondenceStatus.PUBLISHED and (
        order.is_reminder or correspondence.is_purged
    ):
        order.state = NotificationState.CANCELLED
        order.state_text = f"Cancelled: the correspondence is {correspondence.status}"
        return
    subject, body, sms = _notification_texts(correspondence.dispatch, order.is_reminder)
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
    log.info("notification.queued id=%s correspondence=%s reminder=%s", order.pk, correspondence.pk, order.is_reminder)


def _notification_texts(dispatch: Dispatch, is_reminder: bool) -> tuple[str, str, str]:
    """(email subject, email body, SMS) of a dispatch's notification or reminder."""
    if dispatch.notification_template == NotificationTemplate.CUSTOM_MESSAGE:
        texts = custom_texts(dispatch, is_reminder)
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
