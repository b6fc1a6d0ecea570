"""The SMS gateway interface. `settings.SMS_GATEWAY` names the class; the default only logs."""

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsDeliveryError(Exception):
    """The gateway did not take the message. `permanent` means trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class SmsGateway(ABC):
    """One `send` per message; raise SmsDeliveryError when the gateway refuses it."""

    @abstractmethod
    def send(self, *, to: str, body: str, reference: str) -> None: ...


class LoggingSmsGateway(SmsGateway):
    """Writes one log line per message instead of sending: the default until a real gateway is configured."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        log.info("sms.logged to=%s reference=%s chars=%d", to, reference, len(body))


def gateway_for(is_test: bool) -> SmsGateway:
    path = settings.SMS_TEST_GATEWAY if is_test else settings.SMS_GATEWAY
    return import_string(path)()
