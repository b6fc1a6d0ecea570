"""A delivery's lifecycle after publishing: read, confirmed, purged."""

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..errors import (
    AlreadyConfirmed,
    AlreadyPurged,
    AlreadyRead,
    NotPublished,
    PurgeBeforeConfirmed,
)
from ..models import (
    PURGED,
    AttachmentStatus,
    Delivery,
    DeliveryStatus,
    Dispatch,
    NotificationOrder,
    NotificationState,
)
from .attachments import set_attachment_status
from .correspondence import delete_files_after_commit
from .dispatches import status_event

log = logging.getLogger(__name__)


def _change(delivery: Delivery, status: str, now, text: str = "", **stamps) -> Delivery:
    event = status_event(delivery, status, now, text)
    for name, value in stamps.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=["status", "status_text", "status_changed", *stamps])
    event.save()
    log.info("delivery.%s id=%s", status.lower(), delivery.pk)
    return delivery


def _cancel_pending(delivery: Delivery, now, reason: str, *, reminders_only: bool) -> None:
    pending = NotificationOrder.objects.filter(delivery=delivery, state=NotificationState.PENDING)
    if reminders_only:
        pending = pending.filter(is_reminder=True)
    pending.update(state=NotificationState.CANCELLED, state_text=f"Cancelled: {reason}", state_changed=now)


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().select_related("dispatch").get(pk=delivery.pk)


@transaction.atomic
def mark_read(delivery: Delivery) -> Delivery:
    """The recipient has read it: no reminder goes out after this."""
    delivery, now = _locked(delivery), timezone.now()
    if delivery.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    if delivery.status in (DeliveryStatus.READ, DeliveryStatus.CONFIRMED):
        raise AlreadyRead("Correspondence is already marked as read")
    if delivery.status != DeliveryStatus.PUBLISHED:
        raise NotPublished(
            f"Correspondence must be published before it can be read; it is {delivery.status}", error_code=1024
        )
    _cancel_pending(delivery, now, "the correspondence was read", reminders_only=True)
    return _change(delivery, DeliveryStatus.READ, now, read_on=now)


@transaction.atomic
def confirm(delivery: Delivery) -> Delivery:
    """The recipient confirms it, as a correspondence that needs confirmation asks."""
    delivery, now = _locked(delivery), timezone.now()
    if delivery.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    if delivery.status == DeliveryStatus.CONFIRMED:
        raise AlreadyConfirmed("Correspondence has already been confirmed")
    if delivery.status not in (DeliveryStatus.PUBLISHED, DeliveryStatus.READ):
        raise NotPublished(
            f"Correspondence must be published before it can be confirmed; it is {delivery.status}", error_code=1025
        )
    _cancel_pending(delivery, now, "the correspondence was confirmed", reminders_only=True)
    return _change(delivery, DeliveryStatus.CONFIRMED, now, confirmed_on=now)


@transaction.atomic
def purge(delivery: Delivery) -> Delivery:
    """Delete it for good: by the sender before publishing, for the recipient after (confirmed first if needed).

    Its attachments go too, once no other live correspondence uses them.
    """
    delivery, now = _locked(delivery), timezone.now()
    if delivery.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    before_publishing = delivery.status in (
        DeliveryStatus.INITIALIZED,
        DeliveryStatus.READY_FOR_PUBLISH,
        DeliveryStatus.FAILED,
    )
    if (
        not before_publishing
        and delivery.dispatch.is_confirmation_needed
        and delivery.status != DeliveryStatus.CONFIRMED
    ):
        raise PurgeBeforeConfirmed(
            "Cannot archive or delete a correspondence which has not been confirmed when confirmation is required"
        )
    status = DeliveryStatus.PURGED_BY_ALTINN if before_publishing else DeliveryStatus.PURGED_BY_RECIPIENT
    _cancel_pending(delivery, now, "the correspondence was purged", reminders_only=False)
    _change(delivery, status, now, purged_on=now)
    _purge_unused_attachments(delivery.dispatch, now)
    return delivery


def _purge_unused_attachments(dispatch: Dispatch, now) -> None:
    in_use = Delivery.objects.exclude(status__in=PURGED).filter(dispatch__attachments=OuterRef("pk"))
    unused = list(
        dispatch.attachments.filter(status=AttachmentStatus.PUBLISHED).exclude(Exists(in_use)).select_for_update()
    )
    for attachment in unused:
        delete_files_after_commit([attachment.file.name])
        set_attachment_status(
            attachment, AttachmentStatus.PURGED, "Purged with the last correspondence using it", file=""
        )
        log.info("attachment.purged id=%s", attachment.pk)
