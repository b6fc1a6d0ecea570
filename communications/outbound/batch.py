"""Sending what is due: a worker claims a batch of rows, its channels hand them over, the outcomes are written.

`send_due` is the only way rows are sent: the tasks a wake-up starts, `send_pending --inline` and staff's
"send again" (through the wake-up it starts) all end there.
"""

import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.utils import timezone

from communications.models import Channel, OutboundMessage, OutboundStatus

from .channel import OutboundChannel
from .claim import claim_due
from .connections import MailerSession
from .email_channel import EmailChannel
from .outcomes import (
    announce_outcome,
    describe_error,
    release_unstarted,
    unknown_outcome_reason,
    write_outcomes,
)
from .sms_channel import SmsChannel
from .wake_ups import clear_waiting_mark, wake_a_worker

log = logging.getLogger(__name__)

CHANNELS: dict[str, type[OutboundChannel]] = {Channel.EMAIL: EmailChannel, Channel.SMS: SmsChannel}


def send_due(
    channel: str | None = None,
    *,
    limit: int | None = None,
    ids: Sequence | None = None,
    session: MailerSession | None = None,
    wake_another: bool = False,
) -> list[OutboundMessage]:
    """Claim up to `limit` due rows in one statement and hand them over in groups, over the session's
    kept-open connections. Returns the claimed rows with their outcomes; empty when nothing due was free.
    With `wake_another`, a full batch first wakes another worker for what may be left."""
    claim = timezone.now()
    limit = limit or settings.OUTBOUND_BATCH_SIZE
    messages = claim_due(claim, channel=channel, limit=limit, ids=ids)
    # In-process (eager) tasks would run the next batch inside this one; there every row has its own wake-up.
    eager = current_app.conf.task_always_eager
    if wake_another and not eager and channel is not None and len(messages) == limit:
        wake_a_worker(messages[-1].pk, channel)
    if messages:
        with contextlib.ExitStack() as stack:
            if session is None:
                session = stack.enter_context(MailerSession())
            Batch(claim, messages, session).run()
    return messages


def send_one(message_id, *, session: MailerSession | None = None) -> OutboundMessage | None:
    """Claim this one row and send it once. None when the row is not ours to send (taken, done, not due)."""
    sent = send_due(ids=[message_id], limit=1, session=session)
    if not sent:
        log.info("outbound.not_claimed id=%s", message_id)
    return sent[0] if sent else None


def answer_wake_up(channel: str, *, session: MailerSession | None = None) -> list[OutboundMessage]:
    """What a woken worker does: from now on new rows need a wake-up of their own; then one batch of what
    is due, and when that batch is full another worker is woken for the rest before this one sends."""
    clear_waiting_mark(channel)
    return send_due(channel, session=session, wake_another=True)


def backoff(attempt: int) -> timedelta:
    """The wait after the attempt-th failure: base, 2×base, 4×base, … up to the cap."""
    seconds = settings.OUTBOUND_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOUND_RETRY_MAX_SECONDS))


class Batch:
    """One worker's pass over the rows it claimed together, a group at a time (as many as the SMTP
    connections it keeps), each group's messages handed to their channel.

    The batch keeps the books the at-most-once guarantee needs: a message's hand-off marker is committed alone,
    right before it may leave, in one statement with the outcomes reported since the last one; outcomes are
    announced once written; rows never started go back to the queue.
    """

    def __init__(self, claim, messages: list[OutboundMessage], session: MailerSession):
        self.claim = claim
        self.messages = messages
        self.session = session
        self.width = max(settings.OUTBOUND_SMTP_CONNECTIONS, 1)
        self.unwritten: list[tuple[OutboundMessage, dict]] = []  # outcomes waiting for the next statement
        self.unannounced: list[OutboundMessage] = []  # outcomes written, signals not yet sent
        self.channels: dict[str, OutboundChannel] = {}
        # Rows left past the lease would be recovered by the sweep while this batch still holds them.
        self.deadline = time.monotonic() + settings.OUTBOUND_CLAIM_LEASE_SECONDS / 2

    def run(self) -> None:
        started = 0
        try:
            while started < len(self.messages) and time.monotonic() <= self.deadline:
                group = self.messages[started : started + self.width]
                started += len(group)
                self.send_group(group)
                self.announce()
        except Exception:
            # What was decided is kept and what was never started goes back to the queue; messages in
            # hand are left to the lease.
            try:
                self.wind_up(self.messages[started:])
            except Exception as error:  # the original error is the one to see
                log.error("outbound.batch_wind_up_failed error=%s", error)
            raise
        self.wind_up(self.messages[started:])

    def send_group(self, group: list[OutboundMessage]) -> None:
        by_channel: dict[str, list[OutboundMessage]] = {}
        for message in group:
            by_channel.setdefault(message.channel, []).append(message)
        for name, messages in by_channel.items():
            self.channel(name).send(messages)

    def channel(self, name: str) -> OutboundChannel:
        channel = self.channels.get(name)
        if channel is None:
            channel = self.channels[name] = CHANNELS[name](self)
        return channel

    def hand_off(self, message: OutboundMessage) -> bool:
        """Commit the marker (with the outcomes before it). False when the row is no longer this batch's."""
        now = timezone.now()
        if not self.write(marker=message, now=now):
            log.warning("outbound.claim_lost id=%s", message.pk)
            return False
        message.handoff_started_on = now
        return True

    def sent(self, message: OutboundMessage, sent_to: list[str]) -> None:
        outcome = {"status": OutboundStatus.SENT, "sent_on": timezone.now(), "sent_to": sent_to, "last_error": ""}
        self.unwritten.append((message, outcome))

    def failed(self, message: OutboundMessage, error: Exception, *, permanent: bool = False) -> None:
        reason = describe_error(error)
        if permanent or message.attempts >= settings.OUTBOUND_MAX_ATTEMPTS:
            outcome = {"status": OutboundStatus.FAILED, "last_error": reason, "handoff_started_on": None}
        else:
            outcome = {
                "status": OutboundStatus.QUEUED,
                "next_attempt_at": timezone.now() + backoff(message.attempts),
                "last_error": reason,
                "handoff_started_on": None,
            }
        self.unwritten.append((message, outcome))

    def outcome_unknown(self, message: OutboundMessage, error: Exception) -> None:
        reason = unknown_outcome_reason(message, f"the connection broke before the server answered ({error})")
        self.unwritten.append((message, {"status": OutboundStatus.FAILED, "last_error": reason}))

    def write(self, *, marker: OutboundMessage | None = None, now=None) -> bool:
        outcomes, self.unwritten = self.unwritten, []
        if not outcomes and marker is None:
            return False
        marked, written = write_outcomes(self.claim, outcomes, marker=marker, now=now)
        for message, outcome in outcomes:
            if message.pk not in written:
                log.warning("outbound.claim_lost id=%s", message.pk)
                continue
            for name, value in outcome.items():
                setattr(message, name, value)
            self.unannounced.append(message)
        return marked

    def announce(self) -> None:
        announced, self.unannounced = self.unannounced, []
        for message in announced:
            announce_outcome(message)

    def wind_up(self, unstarted: list[OutboundMessage]) -> None:
        self.write()
        if unstarted:
            release_unstarted(self.claim, unstarted)
        self.announce()
