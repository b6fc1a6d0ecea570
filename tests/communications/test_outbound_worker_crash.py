"""A worker that dies mid-send: never a second copy, and nothing silently lost."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from communications import outbound
from communications.models import Communication
from communications.outbound import batch, email_channel, recovery

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerDied(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no except clause catches it."""


def die(*args, **kwargs):
    raise WorkerDied


def after_the_lease():
    return time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False)


def test_dying_after_the_smtp_handoff_never_sends_it_twice(smtp_server, make_outbound, monkeypatch, contact):
    communication = Communication.objects.create(
        number="CM900002", code="900002", contact=contact, direction="OUTGOING", media="EMAIL"
    )
    message = make_outbound(communication=communication)
    monkeypatch.setattr(batch.Batch, "sent", die)  # the server answered 250; the outcome is not written
    with pytest.raises(WorkerDied):
        outbound.send_one(message.pk)
    monkeypatch.undo()
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == "SENDING" and message.handoff_started_on is not None

    # The broker hands the unacknowledged task to another worker: the claim refuses it.
    assert outbound.send_one(message.pk) is None
    # The sweep after the lease sees a hand-off that may have happened and does not send again.
    with after_the_lease():
        result = outbound.sweep()
        call_command("send_pending", "--inline", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (result.requeued, result.unknown_outcome) == (0, 1)
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == "FAILED"
    assert message.last_error.startswith("Outcome unknown")
    assert message.message_id in message.last_error
    communication.refresh_from_db()
    assert communication.sending_status == "FAILED"


def test_dying_before_the_handoff_sends_it_once_after_the_lease(smtp_server, make_outbound, monkeypatch):
    message = make_outbound()
    monkeypatch.setattr(email_channel, "compose_email", die)
    with pytest.raises(WorkerDied):
        outbound.send_one(message.pk)
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.status == "SENDING" and message.handoff_started_on is None

    # Within the lease the row still belongs to the (silent) worker.
    assert recovery.recover_stale() == (0, 0)
    with after_the_lease():
        assert recovery.recover_stale() == (1, 0)
        call_command("send_pending", "--inline", stdout=open("/dev/null", "w"))  # noqa: SIM115

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("SENT", 2)
    assert len(smtp_server.received) == 1
    assert smtp_server.received[0].message["Message-ID"] == message.message_id


def test_dying_with_the_message_unfinished_at_the_server_sends_it_once(smtp_server, make_outbound, monkeypatch):
    message = make_outbound()
    # MAIL, RCPT, DATA and the text went out; the worker dies before the hand-off marker is committed,
    # so the final dot is never sent and the connection closes.
    monkeypatch.setattr(batch.Batch, "hand_off", die)
    with pytest.raises(WorkerDied):
        outbound.send_one(message.pk)
    monkeypatch.undo()

    assert smtp_server.received == []  # the server threw the unfinished message away
    message.refresh_from_db()
    assert message.status == "SENDING" and message.handoff_started_on is None
    with after_the_lease():
        call_command("send_pending", "--inline", stdout=open("/dev/null", "w"))  # noqa: SIM115

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("SENT", 2)
    (mail,) = smtp_server.received
    assert mail.message["Message-ID"] == message.message_id


def test_a_row_claimed_before_the_database_restarted_is_never_sent_again(smtp_server, make_outbound, monkeypatch):
    message = make_outbound()
    monkeypatch.setattr(email_channel, "compose_email", die)
    with pytest.raises(WorkerDied):
        outbound.send_one(message.pk)
    monkeypatch.undo()
    # The database server restarts after the claim: a hand-off marker committed without waiting for the
    # disk may be lost, so "no marker" no longer proves that nothing left.
    monkeypatch.setattr(recovery, "_database_started_on", timezone.now)

    with after_the_lease():
        assert recovery.recover_stale() == (0, 1)
        call_command("send_pending", "--inline", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == "FAILED"
    assert message.last_error.startswith("Outcome unknown: the database restarted")
    assert message.message_id in message.last_error


def test_staff_can_send_a_failed_message_again(smtp_server, make_outbound):
    message = make_outbound(status="FAILED", attempts=5, last_error="Outcome unknown")

    outbound.send_again(message)

    message.refresh_from_db()
    assert message.status == "SENT"
    assert len(smtp_server.received) == 1
