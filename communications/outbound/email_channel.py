"""The email channel: each email composed once with its Message-ID, then over SMTP in step with the rest of its
group (smtp_pipeline.py), or whole to a mailer without an SMTP conversation (file, memory, console)."""

import email
import email.policy
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend

from communications.models import OutboundMessage

from .channel import OutboundChannel, Recorder
from .connections import MailerSession
from .mime import ComposedEmail, compose
from .smtp_pipeline import SmtpPipeline, Transfer, is_permanent


class EmailChannel(OutboundChannel):
    counterpart = "the mail server"

    def __init__(self, recorder: Recorder):
        super().__init__(recorder)
        self.session: MailerSession = recorder.session
        self.unreachable: dict[str, Exception] = {}  # mailers that could not be reached during this batch
        self.pipeline = SmtpPipeline(recorder, self.session)

    def send(self, messages: list[OutboundMessage]) -> None:
        transfers = []
        for slot, message in enumerate(messages):
            transfer = self.prepare(message, slot)
            if transfer is not None:
                transfers.append(transfer)
        if transfers:
            self.pipeline.send(transfers)

    def prepare(self, message: OutboundMessage, slot: int) -> Transfer | None:
        """The email's transfer over SMTP; None when it is settled already (refused, failed, or handed to a
        mailer without an SMTP conversation)."""
        alias = _mailer_alias(message)
        try:
            composed = compose_email(message)
        except (ValueError, TypeError) as error:
            self.recorder.failed(message, error, permanent=True)
            return None
        if alias in self.unreachable:
            self.recorder.failed(message, self.unreachable[alias])
            return None
        try:
            mailer = self.session.get(alias, slot)
        except (OSError, smtplib.SMTPException) as error:
            self.unreachable[alias] = error  # the rest of the batch waits for its retry instead of redialling
            self.recorder.failed(message, error, permanent=is_permanent(error))
            return None
        if isinstance(mailer, SmtpEmailBackend) and mailer.connection is not None:
            return Transfer(message, alias, slot, mailer.connection, composed)
        self.send_whole(message, alias, slot, mailer, composed)
        return None

    def send_whole(self, message: OutboundMessage, alias: str, slot: int, mailer, composed: ComposedEmail):
        """Mailers without an SMTP conversation (file, memory, console) take the message in one call."""
        if not self.recorder.hand_off(message):
            return
        try:
            handed = mailer.send_messages([_as_django_email(message, composed)])
        except (OSError, smtplib.SMTPException) as error:
            self.session.discard(alias, slot)
            self.recorder.failed(message, error, permanent=is_permanent(error))
            return
        if not handed:
            self.recorder.failed(message, smtplib.SMTPException("The mail server accepted no recipient."))
        else:
            self.recorder.sent(message, composed.recipients)


def _mailer_alias(message: OutboundMessage) -> str:
    return settings.OUTBOUND_TEST_MAILER if message.is_test else settings.OUTBOUND_EMAIL_MAILER


def compose_email(message: OutboundMessage) -> ComposedEmail:
    """The message's bytes with its Message-ID; in test mode addressed to the sink only."""
    headers = {"Message-ID": message.message_id}
    to = message.recipients
    if message.is_test:
        # Test mode goes all the way through SMTP, but only ever to the sink.
        to = [settings.OUTBOUND_TEST_EMAIL_RECIPIENT]
        headers |= {"X-Test-Mode": "true", "X-Intended-Recipients": ", ".join(message.recipients)}
    return compose(
        from_address=message.from_address or settings.DEFAULT_FROM_EMAIL,
        to=to,
        subject=message.subject,
        body=message.body,
        html_body=message.html_body,
        attachments=message.outgoing_attachments,
        headers=headers,
    )


class _ComposedDjangoEmail(EmailMessage):
    """The composed bytes as a Django message, for mailers that take one (the file and memory backends)."""

    def __init__(self, data: bytes, **fields):
        super().__init__(**fields)
        self.data = data

    def message(self, *, policy=email.policy.default):
        return email.message_from_bytes(self.data, policy=policy)


def _as_django_email(message: OutboundMessage, composed: ComposedEmail) -> EmailMessage:
    return _ComposedDjangoEmail(
        composed.data, subject=message.subject, body=message.body, from_email=composed.sender, to=composed.recipients
    )
