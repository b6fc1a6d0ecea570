"""One batch of waiting email and SMS: each message leaves through its own channel, once, and one channel's
failure leaves the other's messages alone."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from communications import outbound
from communications.models import OutboundMessage
from communications.outbound.sms_gateways import SmsGateway

from .test_send_sms import RecordingGateway

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerDied(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no except clause catches it."""


def die(*args, **kwargs):
    raise WorkerDied


class UnreachableGateway(SmsGateway):
    def send(self, *, to, body, reference):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(autouse=True)
def _clear():
    RecordingGateway.sent = []


def make_sms(make_outbound, number: str, text: str) -> OutboundMessage:
    return make_outbound(channel="SMS", recipients=[number], subject="", body=text, from_address="")


def test_one_batch_sends_email_over_smtp_and_sms_through_the_gateway(smtp_server, make_outbound, settings):
    settings.SMS_GATEWAY = "tests.communications.test_send_sms.RecordingGateway"
    first_email = make_outbound(subject="Your bill")
    first_sms = make_sms(make_outbound, "+35799123456", "Your code is 1234")
    second_email = make_outbound(subject="Your plan", recipients=["maria@example.com"])
    second_sms = make_sms(make_outbound, "+35799654321", "Your code is 5678")
    out = StringIO()

    call_command("send_pending", "--inline", stdout=out, stderr=StringIO())

    assert "4 waiting: 4 sent, 0 not sent" in out.getvalue()
    assert sorted(mail.message["Subject"] for mail in smtp_server.received) == ["Your bill", "Your plan"]
    assert sorted(RecordingGateway.sent) == [
        ("+35799123456", "Your code is 1234", first_sms.message_id),
        ("+35799654321", "Your code is 5678", second_sms.message_id),
    ]
    sent_to = dict(OutboundMessage.objects.filter(status="SENT").values_list("pk", "sent_to"))
    assert sent_to == {
        first_email.pk: ["kathy.clark@example.com"],
        second_email.pk: ["maria@example.com"],
        first_sms.pk: ["+35799123456"],
        second_sms.pk: ["+35799654321"],
    }


def test_an_unreachable_gateway_retries_its_sms_and_the_email_of_the_batch_still_goes(
    smtp_server, make_outbound, settings
):
    settings.SMS_GATEWAY = "tests.communications.test_outbound_channels.UnreachableGateway"
    email = make_outbound(subject="Your bill")
    sms = make_sms(make_outbound, "+35799123456", "Your code is 1234")

    call_command("send_pending", "--inline", stdout=StringIO(), stderr=StringIO())

    email.refresh_from_db()
    sms.refresh_from_db()
    assert (email.status, [mail.message["Subject"] for mail in smtp_server.received]) == ("SENT", ["Your bill"])
    assert (sms.status, sms.attempts, sms.handoff_started_on) == ("QUEUED", 1, None)
    assert sms.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert sms.next_attempt_at > timezone.now()


def test_an_sms_whose_worker_died_during_the_gateway_call_is_flagged_not_sent_again(make_outbound, settings):
    settings.SMS_GATEWAY = "tests.communications.test_send_sms.RecordingGateway"
    sms = make_sms(make_outbound, "+35799123456", "Your code is 1234")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RecordingGateway, "send", die)
        with pytest.raises(WorkerDied):
            outbound.send_one(sms.pk)

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        call_command("send_pending", "--inline", stdout=StringIO(), stderr=StringIO())

    sms.refresh_from_db()
    assert RecordingGateway.sent == []
    assert sms.status == "FAILED"
    assert sms.last_error.startswith(
        "Outcome unknown: the worker stopped during or right after handing it to the SMS gateway."
    )
