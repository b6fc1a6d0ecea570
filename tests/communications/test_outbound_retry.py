"""Retries with exponential backoff while SMTP is down, then a failure recorded on the row and its communication."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from communications import outbound
from communications.models import Communication
from communications.outbound.batch import backoff
from communications.signals import message_failed

from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def communication(contact):
    return Communication.objects.create(
        number="CM900001", code="900001", contact=contact, direction="OUTGOING", media="EMAIL", to_address="x@y.com"
    )


def test_smtp_down_retries_with_backoff_then_records_the_failure(smtp_down, settings, communication):
    settings.OUTBOUND_MAX_ATTEMPTS = 3
    settings.OUTBOUND_RETRY_BASE_SECONDS = 60
    failures = []
    message_failed.connect(lambda sender, message, **kw: failures.append(message.pk), weak=False, dispatch_uid="rf")
    start = timezone.now()
    try:
        with time_machine.travel(start, tick=False):
            message = queue_email(communication=communication)
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("QUEUED", 1)
        assert message.next_attempt_at == start + timedelta(seconds=60)
        assert "ConnectionRefusedError" in message.last_error

        with time_machine.travel(start + timedelta(seconds=30), tick=False):
            assert outbound.send_one(message.pk) is None  # not due yet: nobody may take it

        with time_machine.travel(start + timedelta(seconds=61), tick=False):
            outbound.send_one(message.pk)
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("QUEUED", 2)
        assert message.next_attempt_at == start + timedelta(seconds=61 + 120)
        assert failures == []

        with time_machine.travel(start + timedelta(seconds=200), tick=False):
            outbound.send_one(message.pk)
    finally:
        message_failed.disconnect(dispatch_uid="rf")

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("FAILED", 3)
    assert "ConnectionRefusedError" in message.last_error
    assert message.sent_on is None
    communication.refresh_from_db()
    assert communication.sending_status == "FAILED"
    assert "ConnectionRefusedError" in communication.sending_error
    assert failures == [message.pk]


def test_a_temporary_refusal_is_retried(smtp_server):
    smtp_server.handler.refuse_with = "451 4.3.0 Try again later"
    message = queue_email()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("QUEUED", 1)
    assert "451" in message.last_error

    smtp_server.handler.refuse_with = None
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        outbound.send_one(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("SENT", 2)
    assert len(smtp_server.received) == 1


def test_a_permanent_refusal_fails_at_once(smtp_server, communication):
    smtp_server.handler.refuse_with = "550 5.1.1 Mailbox unavailable"
    message = queue_email(communication=communication)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("FAILED", 1)
    assert "550" in message.last_error
    communication.refresh_from_db()
    assert communication.sending_status == "FAILED"


@pytest.mark.parametrize(("attempt", "seconds"), [(1, 60), (2, 120), (3, 240), (7, 3600), (30, 3600)])
def test_backoff_doubles_up_to_the_cap(settings, attempt, seconds):
    settings.OUTBOUND_RETRY_BASE_SECONDS = 60
    settings.OUTBOUND_RETRY_MAX_SECONDS = 3600
    assert backoff(attempt) == timedelta(seconds=seconds)
