"""Broker down: queueing still succeeds, the row waits, and the sweep or send_pending sends it later."""

import logging
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from communications import outbound
from communications.models import OutboundMessage
from config.celery import app as celery_app

from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_queueing_succeeds_and_the_row_waits_while_the_broker_is_down(smtp_server, broker_down, caplog):
    caplog.set_level(logging.WARNING, logger="communications.outbound")
    started = time.monotonic()
    message = queue_email()

    assert time.monotonic() - started < 3
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("QUEUED", 0)
    assert f"outbound.dispatch_failed id={message.pk}" in caplog.text
    assert smtp_server.received == []


def test_send_pending_delivers_what_waited_for_the_broker(smtp_server, broker_down):
    message = queue_email()

    call_command("send_pending", "--inline", stdout=open("/dev/null", "w"))  # noqa: SIM115

    message.refresh_from_db()
    assert message.status == "SENT"
    assert len(smtp_server.received) == 1


def test_the_periodic_sweep_hands_waiting_rows_to_the_workers_once_the_broker_is_back(smtp_server, broker_down):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        waiting = queue_email()
    fresh = queue_email()  # not yet past the grace period: a worker may still be on its way

    result = outbound.sweep()
    assert (result.due, result.woken_for) == (1, 0)  # broker still down: counted, left waiting

    # The broker is back (in-process tasks stand in for it here).
    celery_app.conf.task_always_eager = True
    result = outbound.sweep()

    assert (result.due, result.woken_for) == (1, 1)
    # The worker woken for the waiting row sends a batch of every due row, the fresh one included.
    assert OutboundMessage.objects.get(pk=waiting.pk).status == "SENT"
    assert OutboundMessage.objects.get(pk=fresh.pk).status == "SENT"
    assert len(smtp_server.received) == 2
