"""A dispatched correspondence after publishing: read, confirmed, purged."""

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ...errors.dispatches import AlreadyConfirmed, AlreadyPurged, AlreadyRead, NotPublished, PurgeBeforeConfirmed
from ...models import (
    PURGED,
    AttachmentStatus,
    Dispatch,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    NotificationOrder,
    NotificationState,
)
from ..files import delete_files_after_commit
from .attachments import set_attachment_status

log = logging.getLogger(__name__)


def _change(
    correspondence: DispatchedCorrespondence, status: str, now, text: str = "", **stamps
) -> DispatchedCorrespondence:
    event = correspondence.change_status(status, now, text)
    for name, value in stamps.items():
        setattr(correspondence, name, value)
    correspondence.save(update_fields=["status", "status_text", "status_changed", *stamps])
    event.save()
    log.info("dispatched_correspondence.%s id=%s", status.lower(), correspondence.pk)
    return correspondence


def _cancel_pending(correspondence: DispatchedCorrespondence, now, reason: str, *, reminders_only: bool) -> None:
    pending = NotificationOrder.objects.filter(
        dispatched_correspondence=correspondence, state=NotificationState.PENDING
    )
    if reminders_only:
        pending = pending.filter(is_reminder=True)
    pending.update(state=NotificationState.CANCELLED, state_text=f"Cancelled: {reason}", state_changed=now)


def _locked(correspondence: DispatchedCorrespondence) -> DispatchedCorrespondence:
    return DispatchedCorrespondence.objects.select_for_update().select_related("dispatch").get(pk=correspondence.pk)


@transaction.atomic
def mark_read(correspondence: DispatchedCorrespondence) -> DispatchedCorrespondence:
    """The recipient has read it: no reminder goes out after this."""
    correspondence, now = _locked(correspondence), timezone.now()
    if correspondence.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    if correspondence.status in (DispatchedCorrespondenceStatus.READ, DispatchedCorrespondenceStatus.CONFIRMED):
        raise AlreadyRead("Correspondence is already marked as read")
    if correspondence.status != DispatchedCorrespondenceStatus.PUBLISHED:
        raise NotPublished(
            f"Correspondence must be published before it can be read; it is {correspondence.status}", error_code=1024
        )
    _cancel_pending(correspondence, now, "the correspondence was read", reminders_only=True)
    return _change(correspondence, DispatchedCorrespondenceStatus.READ, now, read_on=now)


@transaction.atomic
def confirm(correspondence: DispatchedCorrespondence) -> DispatchedCorrespondence:
    """The recipient confirms it, as a correspondence that needs confirmation asks."""
    correspondence, now = _locked(correspondence), timezone.now()
    if correspondence.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    if correspondence.status == DispatchedCorrespondenceStatus.CONFIRMED:
        raise AlreadyConfirmed("Correspondence has already been confirmed")
    if correspondence.status not in (DispatchedCorrespondenceStatus.PUBLISHED, DispatchedCorrespondenceStatus.READ):
        raise NotPublished(
            f"Correspondence must be published before it can be confirmed; it is {correspondence.status}",
            error_code=1025,
        )
    _cancel_pending(correspondence, now, "the correspondence was confirmed", reminders_only=True)
    return _change(correspondence, DispatchedCorrespondenceStatus.CONFIRMED, now, confirmed_on=now)


@transaction.atomic
def purge(correspondence: DispatchedCorrespondence) -> DispatchedCorrespondence:
    """Delete it for good: by the sender before publishing, for the recipient after (confirmed first if needed).

    Its attachments go too, once no other live correspondence uses them.
    """
    correspondence, now = _locked(correspondence), timezone.now()
    if correspondence.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    before_publishing = correspondence.status in (
        DispatchedCorrespondenceStatus.INITIALIZED,
        DispatchedCorrespondenceStatus.READY_FOR_PUBLISH,
        DispatchedCorrespondenceStatus.FAILED,
    )
    if (
        not before_publishing
        and correspondence.dispatch.is_confirmation_needed
        and correspondence.status != DispatchedCorrespondenceStatus.CONFIRMED
    ):
        raise PurgeBeforeConfirmed(
            "Cannot archive or delete a correspondence which has not been confirmed when confirmation is required"
        )
    status = (
        DispatchedCorrespondenceStatus.PURGED_BY_ALTINN
        if before_publishing
        else DispatchedCorrespondenceStatus.PURGED_BY_RECIPIENT
    )
    _cancel_pending(correspondence, now, "the correspondence was purged", reminders_only=False)
    _change(correspondence, status, now, purged_on=now)
    _purge_unused_attachments(correspondence.dispatch, now)
    return correspondence


def _purge_unused_attachments(dispatch: Dispatch, now) -> None:
    in_use = DispatchedCorrespondence.objects.exclude(status__in=PURGED).filter(dispatch__attachments=OuterRef("pk"))
    unused = list(
        dispatch.attachments.filter(status=AttachmentStatus.PUBLISHED).exclude(Exists(in_use)).select_for_update()
    )
    for attachment in unused:
        delete_files_after_commit([attachment.file.name])
        set_attachment_status(
            attachment, AttachmentStatus.PURGED, "Purged with the last correspondence using it", file=""
        )
        log.info("attachment.purged id=%s", attachment.pk)
