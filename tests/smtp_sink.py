"""A real SMTP server on loopback (aiosmtpd, ephemeral port) that keeps what it receives, for tests and benches."""

import email
import email.policy
import logging
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; the tests only care about what arrived.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


class CollectingHandler:
    def __init__(self):
        self.received: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.refuse_with: str | None = None
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # what aiosmtpd does itself when no handler hook is defined
        with self.lock:
            self.sessions += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_with:
            return self.refuse_with
        with self.lock:
            self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class LoopbackController(Controller):
    """Binds port 0 and learns the port the system chose before the readiness probe connects."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    def __init__(self):
        self.handler = CollectingHandler()
        self.controller = LoopbackController(self.handler, hostname="127.0.0.1", port=0)

    def start(self) -> "SmtpSink":
        """Start; after a stop, start again on the same port (a mail server that was down and came back)."""
        if self.controller.port:
            self.controller = LoopbackController(self.handler, hostname="127.0.0.1", port=self.controller.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def received(self) -> list[ReceivedMail]:
        return self.handler.received

    @property
    def sessions(self) -> int:
        """How many SMTP sessions (EHLO greetings) the server has had."""
        return self.handler.sessions

    def mailer(self, timeout: int = 5) -> dict:
        """A MAILERS entry that sends here."""
        options = {"host": "127.0.0.1", "port": self.port, "timeout": timeout}
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
