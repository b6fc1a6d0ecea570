"""send_sms: the same pipeline through the pluggable gateway named by settings.SMS_GATEWAY."""

import logging

import pytest

from accounts.errors import InvalidValue, MissingValue
from communications import services
from communications.models import OutboundMessage
from communications.outbound.sms_gateways import SmsDeliveryError, SmsGateway

pytestmark = pytest.mark.django_db(transaction=True)


class RecordingGateway(SmsGateway):
    sent: list = []

    def send(self, *, to, body, reference):
        RecordingGateway.sent.append((to, body, reference))


class RefusingGateway(SmsGateway):
    def send(self, *, to, body, reference):
        raise SmsDeliveryError("number is not mobile", permanent=True)


@pytest.fixture(autouse=True)
def _clear():
    RecordingGateway.sent = []


def queue_sms(**overrides):
    fields = {"to": "+357 99 123456", "body": "Your code is 1234", "is_test": False, "source_type": "tests.sms"}
    return services.send_sms(**{"source_id": "1", **fields, **overrides})


def test_the_default_gateway_logs_one_line(caplog):
    caplog.set_level(logging.INFO, logger="communications.outbound.sms_gateways")
    message = queue_sms()

    message.refresh_from_db()
    assert message.status == "SENT"
    assert message.sent_to == ["+35799123456"]
    assert f"sms.logged to=+35799123456 reference={message.message_id} chars=17" in caplog.text


def test_a_configured_gateway_receives_the_message(settings):
    settings.SMS_GATEWAY = "tests.communications.test_send_sms.RecordingGateway"
    message = queue_sms()

    assert RecordingGateway.sent == [("+35799123456", "Your code is 1234", message.message_id)]


def test_test_mode_sms_goes_to_the_test_gateway_and_sink_number(settings):
    settings.SMS_GATEWAY = "tests.communications.test_send_sms.RefusingGateway"
    settings.SMS_TEST_GATEWAY = "tests.communications.test_send_sms.RecordingGateway"
    settings.OUTBOUND_TEST_SMS_RECIPIENT = "+10000000000"
    message = queue_sms(is_test=True)

    assert RecordingGateway.sent == [("+10000000000", "Your code is 1234", message.message_id)]
    message.refresh_from_db()
    assert message.status == "SENT"


def test_a_permanent_gateway_refusal_is_recorded(settings):
    settings.SMS_GATEWAY = "tests.communications.test_send_sms.RefusingGateway"
    message = queue_sms()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("FAILED", 1)
    assert message.last_error == "SmsDeliveryError: number is not mobile"


@pytest.mark.parametrize(("overrides", "error"), [({"to": ""}, MissingValue), ({"to": "call me"}, InvalidValue)])
def test_bad_numbers_are_refused_and_nothing_is_written(overrides, error):
    with pytest.raises(error):
        queue_sms(**overrides)
    assert OutboundMessage.objects.count() == 0
