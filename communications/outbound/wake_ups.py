"""Waking workers: a Celery task only wakes a worker for rows the database already holds.

A task costs a worker far more (broker round trips, acknowledgement, the pool's hand-over) than a claim that
finds nothing, so a wake-up already waiting in the broker for a channel stands for every row queued after it:
a Redis key set with NX marks it, and the woken worker clears the mark before it claims.
"""

import logging
from collections.abc import Iterable

import redis
from celery import current_app
from django.conf import settings

from accounts.background import start_task
from communications.models import Channel

log = logging.getLogger(__name__)

# The task a wake-up starts, per channel; each sends a batch of whatever is due on its channel.
WAKE_UP_TASKS = {Channel.EMAIL: "communications.send_due_email", Channel.SMS: "communications.send_due_sms"}
WAKE_UP_WAITING_KEY = "outbound:wake-up-waiting:{channel}"
_broker_clients: dict = {}


def wake_a_worker(message_id, channel: str) -> bool:
    """Wake a worker for a row that is due now, unless a wake-up for its channel is already waiting in the
    broker: the batch that one claims takes this row too. So a thousand rows queued together make one
    wake-up, not a thousand; the worker that takes a full batch wakes the next. False when the broker refused."""
    if not current_app.conf.task_always_eager and _wake_up_waiting(channel):
        return True
    return start_wake_up(message_id, channel)


def start_wake_up(message_id, channel: str, countdown: float | None = None) -> bool:
    """Start a wake-up for the row whether or not one is waiting (a retry's, with its countdown). A broker
    that is down is logged, not raised: the sweep wakes a worker for the row later."""
    if start_task(WAKE_UP_TASKS[channel], str(message_id), countdown=countdown):
        return True
    log.warning("outbound.dispatch_failed id=%s", message_id)
    return False


def wake_workers(rows: Iterable[tuple]) -> int:
    """One wake-up per batch of waiting (id, channel) rows; returns how many rows a worker was woken for."""
    by_channel: dict[str, list] = {}
    for message_id, channel in rows:
        by_channel.setdefault(channel, []).append(message_id)
    woken_for = 0
    size = settings.OUTBOUND_BATCH_SIZE
    for channel, ids in by_channel.items():
        for start in range(0, len(ids), size):
            if start_wake_up(ids[start], channel):
                woken_for += len(ids[start : start + size])
    return woken_for


def clear_waiting_mark(channel: str) -> None:
    """A woken worker's first step: from now on new rows of the channel need a wake-up of their own."""
    client = _broker_client()
    if client is None:
        return
    try:
        client.delete(WAKE_UP_WAITING_KEY.format(channel=channel))
    except redis.RedisError as error:
        log.warning("outbound.wake_up_mark_failed channel=%s error=%s", channel, error)


def _wake_up_waiting(channel: str) -> bool:
    """Whether a wake-up for the channel is waiting already; if not, the caller's is recorded as waiting.
    The mark expires, so a wake-up the broker lost holds back new ones for seconds, not for ever."""
    client = _broker_client()
    if client is None:
        return False
    try:
        key = WAKE_UP_WAITING_KEY.format(channel=channel)
        return not client.set(key, "1", nx=True, ex=settings.OUTBOUND_WAKE_UP_WAITING_SECONDS)
    except redis.RedisError:
        return False  # the wake-up that follows fails and is logged, as with any broker failure


def _broker_client():
    url = current_app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    if url not in _broker_clients:
        _broker_clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _broker_clients[url]
