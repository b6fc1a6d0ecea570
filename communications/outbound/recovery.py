"""The safety net: rows a dead worker abandoned, and rows no worker was woken for (the broker was down).

`sweep` is the one service behind the beat's periodic entry and the `send_pending` command.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.retention import NoProgress, Progress
from communications.models import OutboundMessage, OutboundStatus

from .batch import CHANNELS, send_due
from .connections import MailerSession
from .outcomes import record_final_failure, unknown_outcome_reason
from .wake_ups import wake_workers

log = logging.getLogger(__name__)

# What one periodic sweep wakes workers for at most; the next sweep takes the rest.
SWEEP_BATCH = 5000
# claimed_on is the workers' clock, the server's start time the database's: they may differ by this much.
DATABASE_CLOCK_SKEW = timedelta(seconds=5)


@dataclass
class SweepResult:
    requeued: int = 0  # abandoned before the hand-off: queued again
    unknown_outcome: int = 0  # abandoned after it: failed, never sent again automatically
    due: int = 0  # waiting rows found
    woken_for: int = 0  # of those, rows a worker was woken for
    sent: int = 0  # inline: rows sent here
    not_sent: int = 0  # inline: rows tried here and retried later or failed


def sweep(
    now=None,
    *,
    grace: bool = True,
    limit: int | None = SWEEP_BATCH,
    inline: bool = False,
    progress: Progress = NoProgress,
) -> SweepResult:
    """Recover abandoned rows, then see to every row left waiting: wake the workers for them, or with
    `inline` send them from this process, a batch at a time. `grace` leaves alone the rows a worker may
    still be on its way to; `limit` (None: all) caps the rows seen to."""
    result = SweepResult()
    result.requeued, result.unknown_outcome = recover_stale(now)
    waiting = due_messages(now, grace=grace).values_list("pk", "channel")
    waiting = list(waiting if limit is None else waiting[:limit])
    result.due = len(waiting)
    if inline:
        result.sent, result.not_sent = _send_here(len(waiting), progress)
    else:
        result.woken_for = wake_workers(waiting)
    log.info(
        "outbound.swept due=%d woken_for=%d sent=%d not_sent=%d",
        result.due,
        result.woken_for,
        result.sent,
        result.not_sent,
    )
    return result


def _send_here(count: int, progress: Progress) -> tuple[int, int]:
    """(sent, not sent) of up to `count` due rows, in batches over one session's connections."""
    sent = not_sent = 0
    bar = progress("send_pending", count)
    try:
        with MailerSession() as session:
            while count > 0:
                batch = send_due(limit=min(count, settings.OUTBOUND_BATCH_SIZE), session=session)
                if not batch:
                    break
                count -= len(batch)
                bar.update(len(batch))
                succeeded = sum(message.status == OutboundStatus.SENT for message in batch)
                sent += succeeded
                not_sent += len(batch) - succeeded
    finally:
        bar.close()
    return sent, not_sent


def recover_stale(now=None) -> tuple[int, int]:
    """Rows a worker claimed and then abandoned (it died): (queued again, failed as outcome unknown)."""
    now = now or timezone.now()
    stale = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, claimed_on__lt=now - timedelta(seconds=settings.OUTBOUND_CLAIM_LEASE_SECONDS)
    )
    # Hand-off markers commit without waiting for the disk, so a database crash may have lost the marker of
    # a message that did leave: rows claimed before the server last started are never sent again.
    restarted = _database_started_on()
    before_restart = Q(claimed_on__lt=restarted + DATABASE_CLOCK_SKEW) if restarted else Q(pk__in=[])
    # It died before the hand-off: nothing left, so sending it again cannot double it.
    requeued = (
        stale.filter(handoff_started_on__isnull=True)
        .exclude(before_restart)
        .update(status=OutboundStatus.QUEUED, next_attempt_at=now, last_error="The worker stopped before sending it.")
    )
    unknown = 0
    for message in stale.filter(Q(handoff_started_on__isnull=False) | before_restart):
        counterpart = CHANNELS[message.channel].counterpart
        what = f"the worker stopped during or right after handing it to {counterpart}"
        if message.handoff_started_on is None:
            what = f"the database restarted while it was being handed to {counterpart}"
        reason = unknown_outcome_reason(message, what)
        unknown += record_final_failure(message, reason, expected_status=OutboundStatus.SENDING)
    if requeued or unknown:
        log.warning("outbound.recovered requeued=%d unknown_outcome=%d", requeued, unknown)
    return requeued, unknown


def _database_started_on():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


def due_messages(now=None, *, grace: bool = True):
    """QUEUED rows that are due; with `grace`, only those no worker took within the grace period."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOUND_SWEEP_GRACE_SECONDS if grace else 0)
    return OutboundMessage.objects.filter(status=OutboundStatus.QUEUED, next_attempt_at__lte=cutoff).order_by(
        "next_attempt_at"
    )
