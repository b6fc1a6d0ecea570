"""Writing outcomes: sent, retry or failed, on the row and on its communication, then telling the apps.

A batch writes each message's outcome in the same statement as the next message's hand-off marker, so a
message costs one commit: on PostgreSQL one prepared statement, elsewhere (the embedded SQLite default) one
transaction. Every write is conditional on the row still being this claim's.
"""

import json
import logging

import psycopg
from celery import current_app
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from communications.models import Communication, OutboundMessage, OutboundStatus, SendingStatus
from communications.signals import message_failed, message_sent

from .wake_ups import start_wake_up, wake_a_worker

log = logging.getLogger(__name__)

_SENDING, _SENT, _QUEUED = OutboundStatus.SENDING.value, OutboundStatus.SENT.value, OutboundStatus.QUEUED.value
_WRITE_OUTCOMES = f"""
WITH commit_mode AS (SELECT set_config('synchronous_commit', %s, true)),
outcome AS (
    SELECT * FROM unnest(%s::uuid[], %s::text[], %s::timestamptz[], %s::text[], %s::text[], %s::timestamptz[])
        AS o (id, status, sent_on, sent_to, last_error, next_attempt_at)
), written AS (
    UPDATE {{message}} AS m SET
        status = o.status,
        sent_on = COALESCE(o.sent_on, m.sent_on),
        sent_to = COALESCE(o.sent_to::jsonb, m.sent_to),
        last_error = o.last_error,
        next_attempt_at = COALESCE(o.next_attempt_at, m.next_attempt_at),
        handoff_started_on = CASE WHEN o.status = '{_SENT}' THEN m.handoff_started_on END
    FROM outcome AS o
    WHERE m.id = o.id AND m.status = '{_SENDING}' AND m.claimed_on = %s
    RETURNING m.id, m.communication_id, m.status, m.last_error
), followed AS (
    UPDATE {{communication}} AS c SET sending_status = w.status, sending_error = w.last_error
    FROM written AS w WHERE c.id = w.communication_id AND w.status <> '{_QUEUED}'
), marked AS (
    UPDATE {{message}} SET handoff_started_on = %s
    WHERE id = %s AND status = '{_SENDING}' AND claimed_on = %s
    RETURNING id
)
SELECT (SELECT count(*) FROM marked), ARRAY(SELECT id FROM written) FROM commit_mode
"""

_WRITE_MARKER = f"""
WITH commit_mode AS (SELECT set_config('synchronous_commit', 'off', true))
UPDATE {{message}} SET handoff_started_on = %s FROM commit_mode
WHERE id = %s AND status = '{_SENDING}' AND claimed_on = %s
"""


def write_outcomes(claim, outcomes: list[tuple[OutboundMessage, dict]], *, marker, now) -> tuple[bool, set]:
    """Outcomes (and their communications) and the next hand-off marker, only on rows this claim still
    holds: on PostgreSQL one statement, so one commit; elsewhere one transaction. Returns (marker written,
    ids whose outcome was written).

    A statement with a marker commits without waiting for the disk (synchronous_commit off): a worker
    that dies cannot undo it, and what a crash of the database server can, recovery covers. The batch's
    last write (no marker) waits, and with it everything the connection committed before."""
    if connection.vendor != "postgresql":
        return _write_outcomes_in_a_transaction(claim, outcomes, marker=marker, now=now)
    tables = {
        "message": connection.ops.quote_name(OutboundMessage._meta.db_table),
        "communication": connection.ops.quote_name(Communication._meta.db_table),
    }
    if not outcomes:  # most markers: the outcomes before them went with an earlier one
        marked, _ = _execute_prepared(_WRITE_MARKER.format(**tables), [now, marker.pk, claim])
        return marked == 1, set()
    columns: list[list] = [[], [], [], [], [], []]
    for message, outcome in outcomes:
        sent_to = outcome.get("sent_to")
        row = (
            message.pk,
            outcome["status"],
            outcome.get("sent_on"),
            None if sent_to is None else json.dumps(sent_to),
            outcome["last_error"],
            outcome.get("next_attempt_at"),
        )
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    commit_mode = "on" if marker is None else "off"
    params = [commit_mode, *columns, claim, now, marker.pk if marker else None, claim]
    _, (marked, written) = _execute_prepared(_WRITE_OUTCOMES.format(**tables), params)
    return bool(marked), set(written)


def _execute_prepared(sql: str, params: list) -> tuple[int, tuple | None]:
    """(row count, first row) of a statement run with server-side parameters and prepared once per
    connection: for these once-per-message statements less than half the time of Django's cursor, which
    binds parameters on the client so the server parses and plans every statement anew."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.rowcount, cursor.fetchone() if cursor.description else None


def _write_outcomes_in_a_transaction(claim, outcomes, *, marker, now) -> tuple[bool, set]:
    ours = OutboundMessage.objects.filter(status=OutboundStatus.SENDING, claimed_on=claim)
    written = set()
    with transaction.atomic():
        for message, outcome in outcomes:
            if not ours.filter(pk=message.pk).update(**outcome):
                continue
            written.add(message.pk)
            if message.communication_id and outcome["status"] != OutboundStatus.QUEUED:
                Communication.objects.filter(pk=message.communication_id).update(
                    sending_status=outcome["status"], sending_error=outcome["last_error"]
                )
        marked = marker is not None and ours.filter(pk=marker.pk).update(handoff_started_on=now)
    return bool(marked), written


def release_unstarted(claim, messages: list[OutboundMessage]) -> None:
    """Rows claimed but never started go back to the queue as they were, and a worker is woken for them."""
    released = OutboundMessage.objects.filter(
        pk__in=[message.pk for message in messages],
        status=OutboundStatus.SENDING,
        claimed_on=claim,
        handoff_started_on__isnull=True,
    ).update(status=OutboundStatus.QUEUED, attempts=F("attempts") - 1)
    log.info("outbound.released count=%d", released)
    if released and not current_app.conf.task_always_eager:
        wake_a_worker(messages[0].pk, messages[0].channel)


def announce_outcome(message: OutboundMessage) -> None:
    """Log a written outcome and tell the apps to the right; a retry also gets its wake-up, with its wait."""
    if message.status == OutboundStatus.SENT:
        log.info(
            "outbound.sent id=%s channel=%s message_id=%s attempts=%d test=%s",
            message.id,
            message.channel,
            message.message_id,
            message.attempts,
            message.is_test,
        )
        _announce(message_sent, message)
    elif message.status == OutboundStatus.FAILED:
        log.error("outbound.failed id=%s attempts=%d error=%s", message.id, message.attempts, message.last_error)
        _announce(message_failed, message)
    else:
        delay = max((message.next_attempt_at - timezone.now()).total_seconds(), 0)
        log.warning(
            "outbound.retry_scheduled id=%s attempt=%d in_seconds=%d error=%s",
            message.id,
            message.attempts,
            delay,
            message.last_error,
        )
        # In-process (eager) tasks would run the retry at once; there the sweep or send_pending picks it up.
        if not current_app.conf.task_always_eager:
            start_wake_up(message.pk, message.channel, countdown=delay)


def record_final_failure(message: OutboundMessage, reason: str, *, expected_status: str) -> bool:
    """FAILED for good, on the row and on its communication; False when another process got there first."""
    with transaction.atomic():
        changed = OutboundMessage.objects.filter(pk=message.pk, status=expected_status).update(
            status=OutboundStatus.FAILED, last_error=reason, handoff_started_on=None
        )
        if changed and message.communication_id:
            Communication.objects.filter(pk=message.communication_id).update(
                sending_status=SendingStatus.FAILED, sending_error=reason
            )
    message.refresh_from_db()
    if changed:
        log.error("outbound.failed id=%s attempts=%d error=%s", message.id, message.attempts, reason)
        _announce(message_failed, message)
    return bool(changed)


def _announce(signal, message: OutboundMessage) -> None:
    # The row is recorded already; a receiver's bug is logged and must not undo or repeat the sending.
    for receiver, result in signal.send_robust(sender=OutboundMessage, message=message):
        if isinstance(result, Exception):
            log.error("outbound.receiver_failed id=%s receiver=%r error=%s", message.id, receiver, result)


def describe_error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def unknown_outcome_reason(message: OutboundMessage, what: str) -> str:
    return (
        f"Outcome unknown: {what}. It is not sent again automatically; look for Message-ID "
        f"{message.message_id} in the server's log and use 'Send again' if it never arrived."
    )[:2000]
