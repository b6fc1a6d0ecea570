"""The SMS channel: each message goes to the configured gateway in one call."""

from django.conf import settings

from communications.models import OutboundMessage

from .channel import OutboundChannel
from .sms_gateways import SmsDeliveryError, gateway_for


class SmsChannel(OutboundChannel):
    """A gateway call has no split like SMTP's final dot: the hand-off marker is committed right before it,
    and a worker that dies during the call leaves the message outcome unknown."""

    counterpart = "the SMS gateway"

    def send(self, messages: list[OutboundMessage]) -> None:
        for message in messages:
            gateway = gateway_for(message.is_test)
            number = settings.OUTBOUND_TEST_SMS_RECIPIENT if message.is_test else message.recipients[0]
            if not self.recorder.hand_off(message):
                continue
            try:
                gateway.send(to=number, body=message.body, reference=message.message_id)
            except SmsDeliveryError as error:
                self.recorder.failed(message, error, permanent=error.permanent)
            except OSError as error:
                self.recorder.failed(message, error)
            else:
                self.recorder.sent(message, [number])
