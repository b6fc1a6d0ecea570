"""Publishing: each correspondence whose time has come is published, or fails when an attachment is gone,
and its notification orders fall due."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.background import start_task, start_task_after_commit
from accounts.history import record_history

from ...models import (
    AttachmentStatus,
    Dispatch,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    DispatchedCorrespondenceStatusEvent,
    NotificationOrder,
    NotificationState,
)

log = logging.getLogger(__name__)

# A publish time further away than this is left to the sweep: Celery's Redis transport redelivers
# tasks held longer than its visibility timeout (one hour), and the sweep needs no broker memory.
ETA_HORIZON = timedelta(minutes=50)
PUBLISH_BATCH = 500


def schedule_publishing(dispatch_id, publish_at) -> None:
    """Wake a worker at the publish time; a broker that is down, or a time far away, is left to the sweep."""
    wait = publish_at - timezone.now()
    # In-process tasks cannot wait: a later time is left to the sweep (beat, or `manage.py publish_due`).
    if wait > ETA_HORIZON or (wait.total_seconds() > 0 and settings.CELERY_TASK_ALWAYS_EAGER):
        return
    eta = publish_at if wait.total_seconds() > 0 else None
    start_task("correspondence.publish_dispatch", str(dispatch_id), eta=eta)


def publish_due_correspondences(*, dispatch_id=None) -> int:
    """Publish every correspondence whose time has come, a batch per transaction; returns how many were decided.

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
        due = DispatchedCorrespondence.objects.select_for_update(skip_locked=True).filter(
            status=DispatchedCorrespondenceStatus.READY_FOR_PUBLISH, publish_at__lte=now
        )
        if dispatch_id is not None:
            due = due.filter(dispatch_id=dispatch_id)
        correspondences = list(due.order_by("publish_at")[:PUBLISH_BATCH])
        if not correspondences:
            return 0
        unpublished = _unpublished_attachments({correspondence.dispatch_id for correspondence in correspondences})
        events, published, failed = [], [], []
        for correspondence in correspondences:
            names = unpublished.get(correspondence.dispatch_id)
            if names:
                text = f"Attachments not published: {names}"
                events.append(correspondence.change_status(DispatchedCorrespondenceStatus.FAILED, now, text))
                failed.append(correspondence)
            else:
                correspondence.published_on = now
                events.append(correspondence.change_status(DispatchedCorrespondenceStatus.PUBLISHED, now))
                published.append(correspondence)
        DispatchedCorrespondence.objects.bulk_update(
            correspondences, ["status", "status_text", "status_changed", "published_on"]
        )
        record_history(correspondences)
        DispatchedCorrespondenceStatusEvent.objects.bulk_create(events)
        pending = NotificationOrder.objects.filter(state=NotificationState.PENDING)
        pending.filter(dispatched_correspondence__in=published, is_reminder=False).update(
            send_after=now, state_text="Due: the correspondence is published", state_changed=now
        )
        remind_at = now + timedelta(seconds=settings.CORRESPONDENCE_REMINDER_DELAY_SECONDS)
        pending.filter(dispatched_correspondence__in=published, is_reminder=True).update(
            send_after=remind_at,
            state_text=f"Due at {remind_at.isoformat()} if the correspondence is still unread",
            state_changed=now,
        )
        pending.filter(dispatched_correspondence__in=failed).update(
            state=NotificationState.CANCELLED,
            state_text="Cancelled: the correspondence failed before it was published",
            state_changed=now,
        )
        start_task_after_commit("correspondence.send_notifications")
    for correspondence in correspondences:
        log.info(
            "dispatched_correspondence.%s id=%s dispatch=%s",
            correspondence.status.lower(),
            correspondence.pk,
            correspondence.dispatch_id,
        )
    return len(correspondences)


def _unpublished_attachments(dispatch_ids) -> dict:
    """For each dispatch with an attachment that is not (or no longer) published, the names of those."""
    through = Dispatch.attachments.through.objects.filter(dispatch_id__in=dispatch_ids).exclude(
        sharedattachment__status=AttachmentStatus.PUBLISHED
    )
    found: dict = {}
    for dispatch_id, name in through.values_list("dispatch_id", "sharedattachment__file_name"):
        found[dispatch_id] = f"{found[dispatch_id]}, {name}" if dispatch_id in found else name
    return found
