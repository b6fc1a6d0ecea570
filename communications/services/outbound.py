"""The outbound channels: the one way out for every email and SMS the product sends.

A message is first a row (written in the caller's transaction), then a Celery task wakes a worker
that claims the row with a conditional UPDATE, hands it to SMTP or the SMS gateway, and records the
outcome. The delivery guarantee is at-most-once; docs/communications.md explains why and how.
"""

import logging
import os
import smtplib
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers, make_msgid
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.errors import IllegalTransition, InvalidValue, MissingValue
from communications.models import (
    Channel,
    Communication,
    DeliveryStatus,
    OutboundAttachment,
    OutboundMessage,
    OutboundStatus,
)
from communications.signals import message_failed, message_sent
from communications.sms import SmsDeliveryError, gateway_for

log = logging.getLogger(__name__)

# A retry task may fire a moment before the row's next_attempt_at by the database's clock.
CLAIM_CLOCK_TOLERANCE = timedelta(seconds=2)
SWEEP_BATCH = 5000
# A connection idle longer than this is checked (NOOP) before it carries another message.
IDLE_CHECK_SECONDS = 10


def send_email(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    html_body: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    is_test: bool,
    source_type: str,
    source_id: str,
    communication: Communication | None = None,
    from_email: str = "",
) -> OutboundMessage:
    """Queue an email: rows written in the caller's transaction, a worker woken once it commits."""
    if isinstance(to, str):
        to = [to]
    recipients = [_valid_email(address) for address in to if address and address.strip()]
    if not recipients:
        raise MissingValue("to", "An email needs at least one recipient.")
    if "\n" in subject or "\r" in subject:
        raise InvalidValue("The subject must be a single line.", field="subject")
    attachments = list(attachments)
    for filename, content, content_type in attachments:
        if not filename or not isinstance(content, bytes | bytearray) or "/" not in (content_type or ""):
            raise InvalidValue("Each attachment needs a filename, bytes and a MIME type.", field="attachments")
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    with transaction.atomic():
        message = _create(
            Channel.EMAIL,
            recipients,
            from_address=from_email,
            subject=subject,
            body=body,
            html_body=html_body,
            is_test=is_test,
            source_type=source_type,
            source_id=source_id,
            communication=communication,
        )
        OutboundAttachment.objects.bulk_create(
            OutboundAttachment(message=message, filename=name, content=bytes(content), content_type=content_type)
            for name, content, content_type in attachments
        )
    return message


def send_sms(
    *, to: str, body: str, is_test: bool, source_type: str, source_id: str, communication: Communication | None = None
) -> OutboundMessage:
    """Queue an SMS through the configured gateway, the same way as send_email."""
    number = "".join(char for char in (to or "") if char not in " -()./")
    if not number:
        raise MissingValue("to", "An SMS needs a phone number.")
    if not number.lstrip("+").isdigit() or not 5 <= len(number.lstrip("+")) <= 15:
        raise InvalidValue(f"{to!r} is not a phone number.", field="to")
    if not body:
        raise MissingValue("content", "An SMS needs a text.")
    with transaction.atomic():
        return _create(
            Channel.SMS,
            [number],
            body=body,
            is_test=is_test,
            source_type=source_type,
            source_id=source_id,
            communication=communication,
        )


def _valid_email(address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidValue(f"{address!r} is not an email address.", field="to") from None
    return address


def _create(channel: str, recipients: list[str], *, source_type: str, source_id, communication, **fields):
    if not source_type:
        raise MissingValue("source_type")
    message = OutboundMessage.objects.create(
        channel=channel,
        recipients=recipients,
        source_type=source_type,
        source_id=str(source_id or ""),
        communication=communication,
        message_id=make_msgid(domain=settings.OUTBOUND_MESSAGE_ID_DOMAIN),
        **fields,
    )
    if communication is not None:
        Communication.objects.filter(pk=communication.pk).update(
            delivery_status=DeliveryStatus.QUEUED, delivery_error=""
        )
    transaction.on_commit(lambda: dispatch(message.pk, channel))
    log.info(
        "outbound.queued id=%s channel=%s source=%s:%s test=%s",
        message.id,
        channel,
        source_type,
        message.source_id,
        message.is_test,
    )
    return message


def dispatch(message_id, channel: str, countdown: float | None = None) -> bool:
    """Wake a worker for the row. A broker that is down is logged, not raised: the sweep sends it later."""
    from communications import tasks

    task = tasks.deliver_email if channel == Channel.EMAIL else tasks.deliver_sms
    try:
        task.apply_async(args=[str(message_id)], countdown=countdown, retry=False)
    except Exception as error:  # any broker failure leaves the row QUEUED for the sweep
        log.warning("outbound.dispatch_failed id=%s error=%s", message_id, error)
        return False
    return True


class MailerSession:
    """Open mailers by alias, so a batch or a worker process reuses one SMTP connection per mailer.

    A connection left idle for a while is checked with NOOP before it is used again and replaced when
    the server has dropped it, so a stale connection never fails a message.
    """

    def __init__(self, idle_check_seconds: float = IDLE_CHECK_SECONDS):
        self._open: dict = {}
        self._last_used: dict = {}
        self.idle_check_seconds = idle_check_seconds

    def get(self, alias: str):
        connection = self._open.get(alias)
        now = time.time()
        idle = connection is not None and now - self._last_used[alias] > self.idle_check_seconds
        if idle and not _answers(connection):
            log.info("outbound.mailer_reconnect alias=%s", alias)
            self.discard(alias)
            connection = None
        if connection is None:
            connection = mailers[alias]
            connection.open()
            self._open[alias] = connection
        self._last_used[alias] = now
        return connection

    def discard(self, alias: str) -> None:
        connection = self._open.pop(alias, None)
        self._last_used.pop(alias, None)
        if connection is not None:
            try:
                connection.close()
            except (OSError, smtplib.SMTPException):
                log.debug("outbound.mailer_close_failed alias=%s", alias)

    def close(self) -> None:
        for alias in list(self._open):
            self.discard(alias)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _answers(connection) -> bool:
    """Whether an open mailer's server still answers; mailers without a network connection always do."""
    smtp = getattr(connection, "connection", None)
    if smtp is None:
        return True
    try:
        return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


_worker = threading.local()


def worker_session() -> MailerSession:
    """This worker's long-lived session: one per process and thread (a forked or threaded pool never shares one)."""
    pid = os.getpid()
    if getattr(_worker, "pid", None) != pid:
        _worker.pid, _worker.session = pid, MailerSession()
    return _worker.session


def deliver(message_id, *, session: MailerSession | None = None) -> OutboundMessage | None:
    """Claim the row and send it once. Returns None when the row is not ours to send (taken, done, not due)."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message_id, status=OutboundStatus.QUEUED, next_attempt_at__lte=now + CLAIM_CLOCK_TOLERANCE
    ).update(status=OutboundStatus.SENDING, claimed_on=now, attempts=F("attempts") + 1, handoff_started_on=None)
    if not claimed:
        log.info("outbound.not_claimed id=%s", message_id)
        return None
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        send = _sender(message, session)
    except (ValueError, TypeError) as error:
        return _record_failure(message, error, permanent=True)
    # From here on the message may leave the building: a crash past this line must not send it again.
    OutboundMessage.objects.filter(pk=message.pk).update(handoff_started_on=timezone.now())
    try:
        delivered_to = send()
    except (OSError, smtplib.SMTPException, SmsDeliveryError) as error:
        if session is not None:
            session.discard(_mailer_alias(message))
        return _record_failure(message, error, permanent=_is_permanent(error))
    return _record_sent(message, delivered_to)


def _mailer_alias(message: OutboundMessage) -> str:
    return settings.OUTBOUND_TEST_MAILER if message.is_test else settings.OUTBOUND_EMAIL_MAILER


def _sender(message: OutboundMessage, session: MailerSession | None):
    """A function that hands the message over and returns where it went; built before the hand-off starts."""
    if message.channel == Channel.SMS:
        gateway = gateway_for(message.is_test)
        number = settings.OUTBOUND_TEST_SMS_RECIPIENT if message.is_test else message.recipients[0]

        def send_sms_now():
            gateway.send(to=number, body=message.body, reference=message.message_id)
            return [number]

        return send_sms_now

    headers = {"Message-ID": message.message_id}
    to = message.recipients
    if message.is_test:
        # Test mode goes all the way through SMTP, but only ever to the sink.
        to = [settings.OUTBOUND_TEST_EMAIL_RECIPIENT]
        headers |= {"X-Test-Mode": "true", "X-Intended-Recipients": ", ".join(message.recipients)}
    mail = EmailMultiAlternatives(
        subject=message.subject, body=message.body, from_email=message.from_address or None, to=to, headers=headers
    )
    if message.html_body:
        mail.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments.all():
        mail.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    mail.message()  # a header or address Django refuses fails here, before anything is sent
    alias = _mailer_alias(message)

    def send_email_now():
        sent = session.get(alias).send_messages([mail]) if session is not None else mail.send(using=alias)
        if not sent:
            raise smtplib.SMTPException("The mail server accepted no recipient.")
        return to

    return send_email_now


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, SmsDeliveryError):
        return error.permanent
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def backoff(attempt: int) -> timedelta:
    """The wait after the attempt-th failure: base, 2×base, 4×base, … up to the cap."""
    seconds = settings.OUTBOUND_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOUND_RETRY_MAX_SECONDS))


def _record_sent(message: OutboundMessage, delivered_to: list[str]) -> OutboundMessage:
    outcome = {"status": OutboundStatus.SENT, "sent_on": timezone.now(), "delivered_to": delivered_to, "last_error": ""}
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.SENDING).update(**outcome)
        if message.communication_id:
            Communication.objects.filter(pk=message.communication_id).update(
                delivery_status=DeliveryStatus.SENT, delivery_error=""
            )
    for field, value in outcome.items():
        setattr(message, field, value)
    log.info(
        "outbound.sent id=%s channel=%s message_id=%s attempts=%d test=%s",
        message.id,
        message.channel,
        message.message_id,
        message.attempts,
        message.is_test,
    )
    _announce(message_sent, message)
    return message


def _record_failure(message: OutboundMessage, error: Exception, *, permanent: bool) -> OutboundMessage:
    reason = _describe(error)
    if permanent or message.attempts >= settings.OUTBOUND_MAX_ATTEMPTS:
        _record_final_failure(message, reason, expected_status=OutboundStatus.SENDING)
        return message
    delay = backoff(message.attempts)
    outcome = {
        "status": OutboundStatus.QUEUED,
        "next_attempt_at": timezone.now() + delay,
        "handoff_started_on": None,
        "last_error": reason,
    }
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.SENDING).update(**outcome)
    for field, value in outcome.items():
        setattr(message, field, value)
    log.warning(
        "outbound.retry_scheduled id=%s attempt=%d in_seconds=%d error=%s",
        message.id,
        message.attempts,
        delay.total_seconds(),
        reason,
    )
    # In-process (eager) tasks would run the retry at once; there the sweep or send_pending picks it up.
    if not current_app.conf.task_always_eager:
        dispatch(message.pk, message.channel, countdown=delay.total_seconds())
    return message


def _record_final_failure(message: OutboundMessage, reason: str, *, expected_status: str) -> bool:
    """FAILED for good, on the row and on its communication; False when another process got there first."""
    with transaction.atomic():
        changed = OutboundMessage.objects.filter(pk=message.pk, status=expected_status).update(
            status=OutboundStatus.FAILED, last_error=reason, handoff_started_on=None
        )
        if changed and message.communication_id:
            Communication.objects.filter(pk=message.communication_id).update(
                delivery_status=DeliveryStatus.FAILED, delivery_error=reason
            )
    message.refresh_from_db()
    if changed:
        log.error("outbound.failed id=%s attempts=%d error=%s", message.id, message.attempts, reason)
        _announce(message_failed, message)
    return bool(changed)


def _announce(signal, message: OutboundMessage) -> None:
    # The row is recorded already; a receiver's bug is logged and must not undo or repeat the delivery.
    for receiver, result in signal.send_robust(sender=OutboundMessage, message=message):
        if isinstance(result, Exception):
            log.error("outbound.receiver_failed id=%s receiver=%r error=%s", message.id, receiver, result)


@dataclass
class SweepResult:
    requeued: int = 0
    unknown_outcome: int = 0
    due: int = 0
    dispatched: int = 0


def recover_stale(now=None) -> tuple[int, int]:
    """Rows a worker claimed and then abandoned (it died): (queued again, failed as outcome unknown)."""
    now = now or timezone.now()
    stale = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, claimed_on__lt=now - timedelta(seconds=settings.OUTBOUND_CLAIM_LEASE_SECONDS)
    )
    # It died before the hand-off: nothing left, so sending it again cannot double it.
    requeued = stale.filter(handoff_started_on__isnull=True).update(
        status=OutboundStatus.QUEUED, next_attempt_at=now, last_error="The worker stopped before sending it."
    )
    unknown = 0
    for message in stale.filter(handoff_started_on__isnull=False):
        reason = (
            "Outcome unknown: the worker stopped during or right after handing the message to "
            f"{'the mail server' if message.channel == Channel.EMAIL else 'the SMS gateway'}. "
            f"It is not sent again automatically; look for Message-ID {message.message_id} in the server's log "
            "and use 'Send again' if it never arrived."
        )
        unknown += _record_final_failure(message, reason, expected_status=OutboundStatus.SENDING)
    if requeued or unknown:
        log.warning("outbound.recovered requeued=%d unknown_outcome=%d", requeued, unknown)
    return requeued, unknown


def due_messages(now=None, *, grace: bool = True):
    """QUEUED rows that are due; with `grace`, only those no worker took within the grace period."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOUND_SWEEP_GRACE_SECONDS if grace else 0)
    return OutboundMessage.objects.filter(status=OutboundStatus.QUEUED, next_attempt_at__lte=cutoff).order_by(
        "next_attempt_at"
    )


def sweep(now=None) -> SweepResult:
    """The periodic safety net: recover abandoned rows, then wake workers for every row left waiting."""
    result = SweepResult()
    result.requeued, result.unknown_outcome = recover_stale(now)
    for message_id, channel in due_messages(now).values_list("pk", "channel")[:SWEEP_BATCH]:
        result.due += 1
        result.dispatched += dispatch(message_id, channel)
    log.info("outbound.swept due=%d dispatched=%d", result.due, result.dispatched)
    return result


def send_again(message: OutboundMessage) -> OutboundMessage:
    """Staff's decision to retry a FAILED message (e.g. after checking the mail server's log)."""
    changed = OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.FAILED).update(
        status=OutboundStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if not changed:
        raise IllegalTransition(f"Only failed messages can be sent again; this one is {message.status}.")
    if message.communication_id:
        Communication.objects.filter(pk=message.communication_id).update(
            delivery_status=DeliveryStatus.QUEUED, delivery_error=""
        )
    transaction.on_commit(lambda: dispatch(message.pk, message.channel))
    log.info("outbound.requeued id=%s", message.pk)
    message.refresh_from_db()
    return message
