"""Claiming rows: a worker takes a batch of due rows in one statement, so two workers never send the same one."""

from collections.abc import Sequence
from datetime import timedelta

from django.db import connection

from communications.models import Channel, OutboundAttachment, OutboundMessage, OutboundStatus

# A retry's wake-up may fire a moment before the row's next_attempt_at by the database's clock.
CLAIM_CLOCK_TOLERANCE = timedelta(seconds=2)


def claim_due(claim, *, channel: str | None, limit: int, ids: Sequence | None = None) -> list[OutboundMessage]:
    """One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING *: racing workers and
    `send_pending` runs each get their own rows, and a wake-up for rows already taken costs one statement.
    `claim` (the claim's time) marks the rows as this batch's; every later write is conditional on it.
    Each email comes with its attachments as `outgoing_attachments` (one query for the batch)."""
    meta = OutboundMessage._meta
    table = connection.ops.quote_name(meta.db_table)
    due = ["status = %s", "next_attempt_at <= %s"]
    params = [OutboundStatus.QUEUED, _db_value("next_attempt_at", claim + CLAIM_CLOCK_TOLERANCE)]
    if channel is not None:
        due.append("channel = %s")
        params.append(channel)
    if ids is not None:
        due.append(f"id IN ({', '.join(['%s'] * len(ids))})")
        params += [meta.pk.get_db_prep_value(meta.pk.to_python(pk), connection) for pk in ids]
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = (
        f"UPDATE {table} SET status = %s, claimed_on = %s, attempts = attempts + 1, handoff_started_on = NULL "
        f"WHERE id IN (SELECT id FROM {table} WHERE {' AND '.join(due)} ORDER BY next_attempt_at LIMIT %s{lock}) "
        "RETURNING *"
    )
    params = [OutboundStatus.SENDING, _db_value("claimed_on", claim), *params, limit]
    messages = sorted(OutboundMessage.objects.raw(sql, params), key=lambda message: message.next_attempt_at)
    attachments: dict = {message.pk: [] for message in messages if message.channel == Channel.EMAIL}
    if attachments:
        for message_id, *attachment in OutboundAttachment.objects.filter(message__in=list(attachments)).values_list(
            "message_id", "filename", "content", "content_type"
        ):
            attachments[message_id].append((attachment[0], bytes(attachment[1]), attachment[2]))
    for message in messages:
        message.outgoing_attachments = attachments.get(message.pk, [])
    return messages


def _db_value(field: str, value):
    return OutboundMessage._meta.get_field(field).get_db_prep_value(value, connection)
