"""The outbound channels: the one way out for every email and SMS the product sends.

A message is first a row (written in the caller's transaction), then a Celery task wakes a worker.
The worker claims a batch of due rows in one statement, hands them to SMTP (one kept-open connection)
or the SMS gateway one after another, and records the outcomes, folded into as few commits as the
delivery guarantee allows. The guarantee is at-most-once; docs/communications.md explains why and how.
"""

import contextlib
import email
import email.policy
import json
import logging
import os
import smtplib
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import psycopg
import redis
from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers, make_msgid
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.background import start_task
from accounts.errors import IllegalTransition, InvalidValue, MissingValue
from communications.mime import ComposedEmail, compose, dot_stuffed
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
# claimed_on is the workers' clock, the server's start time the database's: they may differ by this much.
DATABASE_CLOCK_SKEW = timedelta(seconds=5)
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
    transaction.on_commit(lambda: wake_a_worker(message.pk, channel))
    log.info(
        "outbound.queued id=%s channel=%s source=%s:%s test=%s",
        message.id,
        channel,
        source_type,
        message.source_id,
        message.is_test,
    )
    return message


def wake_a_worker(message_id, channel: str) -> bool:
    """Wake a worker for a row that is due now, unless a wake-up for its channel is already waiting in the
    broker: the batch that one claims takes this row too. A task costs a worker far more than a claim
    that finds nothing, so a thousand rows queued together make one wake-up, not a thousand; the worker
    that takes a full batch wakes the next (answer_wake_up). False when the broker refused."""
    if not current_app.conf.task_always_eager and _wake_up_waiting(channel):
        return True
    return dispatch(message_id, channel)


def answer_wake_up(channel: str, *, session: "MailerSession | None" = None) -> list[OutboundMessage]:
    """What a woken worker does: from now on new rows need a wake-up of their own; then one batch of what
    is due, and when that batch is full another worker is woken for the rest before this one sends."""
    client = _broker_client()
    if client is not None:
        try:
            client.delete(_WAKE_UP_KEY.format(channel=channel))
        except redis.RedisError as error:
            log.warning("outbound.wake_up_mark_failed channel=%s error=%s", channel, error)
    return deliver_due(channel, session=session, wake_another=True)


_WAKE_UP_KEY = "outbound:wake-up-waiting:{channel}"
_broker_clients: dict = {}


def _wake_up_waiting(channel: str) -> bool:
    """Whether a wake-up for the channel is waiting already; if not, the caller's is recorded as waiting.
    The mark expires, so a wake-up the broker lost holds back new ones for seconds, not for ever."""
    client = _broker_client()
    if client is None:
        return False
    try:
        key = _WAKE_UP_KEY.format(channel=channel)
        return not client.set(key, "1", nx=True, ex=settings.OUTBOUND_WAKE_UP_WAITING_SECONDS)
    except redis.RedisError:
        return False  # the dispatch that follows fails and is logged, as with any broker failure


def _broker_client():
    url = current_app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    if url not in _broker_clients:
        _broker_clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _broker_clients[url]


def dispatch(message_id, channel: str, countdown: float | None = None) -> bool:
    """Wake a worker for the row. A broker that is down is logged, not raised: the sweep sends it later."""
    task = "communications.deliver_email" if channel == Channel.EMAIL else "communications.deliver_sms"
    if start_task(task, str(message_id), countdown=countdown):
        return True
    log.warning("outbound.dispatch_failed id=%s", message_id)
    return False


class MailerSession:
    """Open mailers by alias (and slot, for a batch's parallel connections), so a batch or a worker process
    reuses its SMTP connections from message to message.

    A connection left idle for a while is checked with NOOP before it is used again and replaced when
    the server has dropped it, so a stale connection never fails a message.
    """

    def __init__(self, idle_check_seconds: float = IDLE_CHECK_SECONDS):
        self._open: dict = {}
        self._last_used: dict = {}
        self.idle_check_seconds = idle_check_seconds

    def get(self, alias: str, slot: int = 0):
        key = (alias, slot)
        mailer = self._open.get(key)
        now = time.time()
        idle = mailer is not None and now - self._last_used[key] > self.idle_check_seconds
        if idle and not _answers(mailer):
            log.info("outbound.mailer_reconnect alias=%s", alias)
            self.discard(alias, slot)
            mailer = None
        if mailer is None:
            mailer = mailers[alias]
            mailer.open()
            _prepare_conversation(mailer)
            self._open[key] = mailer
        self._last_used[key] = now
        return mailer

    def discard(self, alias: str, slot: int = 0) -> None:
        mailer = self._open.pop((alias, slot), None)
        self._last_used.pop((alias, slot), None)
        if mailer is not None:
            try:
                mailer.close()
            except (OSError, smtplib.SMTPException):
                log.debug("outbound.mailer_close_failed alias=%s", alias)

    def close(self) -> None:
        for alias, slot in list(self._open):
            self.discard(alias, slot)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _prepare_conversation(mailer) -> None:
    smtp = getattr(mailer, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        return
    smtp.ehlo_or_helo_if_needed()
    # The final dot goes out alone, after the hand-off commit; Nagle's algorithm would hold it back until
    # the server acknowledges the text, which a delayed ACK puts off by up to 40 ms.
    if smtp.sock is not None and smtp.sock.family in (socket.AF_INET, socket.AF_INET6):
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


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


def deliver_due(
    channel: str | None = None,
    *,
    limit: int | None = None,
    ids: Sequence | None = None,
    session: MailerSession | None = None,
    wake_another: bool = False,
) -> list[OutboundMessage]:
    """Claim up to `limit` due rows in one statement and hand them over in groups, over the session's
    kept-open connections. Returns the claimed rows with their outcomes; empty when nothing due was free.
    With `wake_another`, a full batch first wakes another worker for what may be left."""
    claim = timezone.now()
    limit = limit or settings.OUTBOUND_BATCH_SIZE
    messages = _claim(claim, channel=channel, limit=limit, ids=ids)
    # In-process (eager) tasks would run the next batch inside this one; there every row has its own wake-up.
    eager = current_app.conf.task_always_eager
    if wake_another and not eager and channel is not None and len(messages) == limit:
        wake_a_worker(messages[-1].pk, channel)
    if messages:
        with contextlib.ExitStack() as stack:
            if session is None:
                session = stack.enter_context(MailerSession())
            _Batch(claim, messages, session).run()
    return messages


def deliver(message_id, *, session: MailerSession | None = None) -> OutboundMessage | None:
    """Claim this one row and send it once. None when the row is not ours to send (taken, done, not due)."""
    delivered = deliver_due(ids=[message_id], limit=1, session=session)
    if not delivered:
        log.info("outbound.not_claimed id=%s", message_id)
    return delivered[0] if delivered else None


def _claim(claim, *, channel: str | None, limit: int, ids: Sequence | None) -> list[OutboundMessage]:
    """One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING *: racing workers and
    `send_pending` runs each get their own rows, and a wake-up for rows already taken costs one statement."""
    meta = OutboundMessage._meta
    table = connection.ops.quote_name(meta.db_table)
    due = ["status = %s", "next_attempt_at <= %s"]
    params = [OutboundStatus.QUEUED, _db_value("next_attempt_at", claim + CLAIM_CLOCK_TOLERANCE)]
    if channel is not None:
        due.append("channel = %s")
        params.append(channel)
    if ids is not None:
        due.append(f"id IN ({', '.join(['%s'] * len(ids))})")
        params += [meta.pk.get_db_prep_value(meta.pk.to_python(pk), connection) for pk in ids]
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = (
        f"UPDATE {table} SET status = %s, claimed_on = %s, attempts = attempts + 1, handoff_started_on = NULL "
        f"WHERE id IN (SELECT id FROM {table} WHERE {' AND '.join(due)} ORDER BY next_attempt_at LIMIT %s{lock}) "
        "RETURNING *"
    )
    params = [OutboundStatus.SENDING, _db_value("claimed_on", claim), *params, limit]
    messages = sorted(OutboundMessage.objects.raw(sql, params), key=lambda message: message.next_attempt_at)
    attachments: dict = {message.pk: [] for message in messages if message.channel == Channel.EMAIL}
    if attachments:
        for message_id, *attachment in OutboundAttachment.objects.filter(message__in=list(attachments)).values_list(
            "message_id", "filename", "content", "content_type"
        ):
            attachments[message_id].append((attachment[0], bytes(attachment[1]), attachment[2]))
    for message in messages:
        message.outgoing_attachments = attachments.get(message.pk, [])
    return messages


def _db_value(field: str, value):
    return OutboundMessage._meta.get_field(field).get_db_prep_value(value, connection)


@dataclass(eq=False)
class _Transfer:
    """One email on its way over SMTP within a batch's group."""

    message: OutboundMessage
    alias: str
    slot: int
    smtp: smtplib.SMTP
    composed: ComposedEmail
    refused: dict = field(default_factory=dict)
    settled: bool = False  # refused or lost on the way: its outcome is recorded already

    @property
    def accepted(self) -> list[str]:
        return [recipient for recipient in self.composed.recipients if recipient not in self.refused]


class _Batch:
    """One worker's pass over the rows it claimed together.

    Emails go in groups over up to OUTBOUND_SMTP_CONNECTIONS kept-open connections in step: each SMTP
    command is written on every connection before any answer is read, so one round trip carries the whole
    group. Each email is handed over in three steps: MAIL, RCPT, DATA and the text without its end; then
    its hand-off marker is committed, alone, in one statement with the outcomes written since the last
    one; then its final dot. A worker killed before a marker commit leaves unfinished messages the server
    throws away: those rows are queued again after the lease and sent once. docs/communications.md has
    the rest.
    """

    def __init__(self, claim, messages: list[OutboundMessage], session: MailerSession):
        self.claim = claim
        self.messages = messages
        self.session = session
        self.width = max(settings.OUTBOUND_SMTP_CONNECTIONS, 1)
        self.unwritten: list[tuple[OutboundMessage, dict]] = []  # outcomes waiting for the next statement
        self.unannounced: list[OutboundMessage] = []  # outcomes written, signals not yet sent
        self.unreachable: dict[str, Exception] = {}  # mailers that could not be reached during this batch
        # Rows left past the lease would be recovered by the sweep while this batch still holds them.
        self.deadline = time.monotonic() + settings.OUTBOUND_CLAIM_LEASE_SECONDS / 2

    def run(self) -> None:
        started = 0
        try:
            while started < len(self.messages) and time.monotonic() <= self.deadline:
                group = self.messages[started : started + self.width]
                started += len(group)
                self.deliver_group(group)
                self.announce()
        except Exception:
            # What was decided is kept and what was never started goes back to the queue; messages in
            # hand are left to the lease.
            try:
                self.wind_up(self.messages[started:])
            except Exception as error:  # the original error is the one to see
                log.error("outbound.batch_wind_up_failed error=%s", error)
            raise
        self.wind_up(self.messages[started:])

    def deliver_group(self, group: list[OutboundMessage]) -> None:
        transfers = []
        for slot, message in enumerate(group):
            if message.channel == Channel.SMS:
                self.deliver_sms(message)
            else:
                transfers += filter(None, [self.prepare_email(message, slot)])
        if transfers:
            self.deliver_over_smtp(transfers)

    def deliver_sms(self, message: OutboundMessage) -> None:
        gateway = gateway_for(message.is_test)
        number = settings.OUTBOUND_TEST_SMS_RECIPIENT if message.is_test else message.recipients[0]
        if not self.hand_off(message):
            return
        try:
            gateway.send(to=number, body=message.body, reference=message.message_id)
        except SmsDeliveryError as error:
            self.failed(message, error, permanent=error.permanent)
        except OSError as error:
            self.failed(message, error)
        else:
            self.sent(message, [number])

    def prepare_email(self, message: OutboundMessage, slot: int) -> _Transfer | None:
        """The email's transfer over SMTP; None when it is settled already (refused, failed, or handed to a
        mailer without an SMTP conversation)."""
        alias = _mailer_alias(message)
        try:
            composed = _compose(message)
        except (ValueError, TypeError) as error:
            self.failed(message, error, permanent=True)
            return None
        if alias in self.unreachable:
            self.failed(message, self.unreachable[alias])
            return None
        try:
            mailer = self.session.get(alias, slot)
        except (OSError, smtplib.SMTPException) as error:
            self.unreachable[alias] = error  # the rest of the batch waits for its retry instead of redialling
            self.failed(message, error, permanent=_is_permanent(error))
            return None
        if isinstance(mailer, SmtpEmailBackend) and mailer.connection is not None:
            return _Transfer(message, alias, slot, mailer.connection, composed)
        self.deliver_whole(message, alias, slot, mailer, composed)
        return None

    def deliver_whole(self, message: OutboundMessage, alias: str, slot: int, mailer, composed: ComposedEmail):
        """Mailers without an SMTP conversation (file, memory, console) take the message in one call."""
        if not self.hand_off(message):
            return
        try:
            handed = mailer.send_messages([_as_django_email(message, composed)])
        except (OSError, smtplib.SMTPException) as error:
            self.session.discard(alias, slot)
            self.failed(message, error, permanent=_is_permanent(error))
            return
        if not handed:
            self.failed(message, smtplib.SMTPException("The mail server accepted no recipient."))
        else:
            self.sent(message, composed.recipients)

    def deliver_over_smtp(self, transfers: list[_Transfer]) -> None:
        going = self.step(transfers, _ask_mail, _mail_answer)
        for index in range(max((len(t.composed.recipients) for t in going), default=0)):
            asked = [t for t in going if index < len(t.composed.recipients)]
            self.step(asked, partial(_ask_rcpt, index), partial(_rcpt_answer, index))
        going = self.step([t for t in going if not t.settled and self.still_going(t)], _ask_data, _data_answer)
        unfinished = []
        for transfer in going:
            try:
                transfer.smtp.send(dot_stuffed(transfer.composed.data)[:-2])
            except (OSError, smtplib.SMTPException) as error:
                self.lost(transfer, error)
            else:
                unfinished.append(transfer)
        finished = []
        try:
            while unfinished:
                transfer = unfinished[0]
                handed_off = self.hand_off(transfer.message)
                unfinished.pop(0)
                if not handed_off:
                    _abandon(self.session, transfer)
                    continue
                try:
                    transfer.smtp.send(b"\r\n.\r\n")
                except (OSError, smtplib.SMTPException) as error:
                    self.session.discard(transfer.alias, transfer.slot)
                    self.outcome_unknown(transfer.message, error)
                else:
                    finished.append(transfer)
        except BaseException:
            # A connection left inside DATA would carry the next message's commands as this one's text.
            for transfer in unfinished:
                _abandon(self.session, transfer)
            raise
        for transfer in finished:
            try:
                code, reply = transfer.smtp.getreply()
            except (OSError, smtplib.SMTPException) as error:
                self.session.discard(transfer.alias, transfer.slot)
                self.outcome_unknown(transfer.message, error)
                continue
            if code == 250:
                self.sent(transfer.message, transfer.accepted)
            else:  # refused after the dot: a known outcome
                error = smtplib.SMTPDataError(code, reply)
                self.failed(transfer.message, error, permanent=_is_permanent(error))

    def step(self, transfers: list[_Transfer], command, answer) -> list[_Transfer]:
        """One SMTP command on every connection, then every answer: a single round trip for all of them.
        `answer` returns the refusal (an SMTP error) or None. Returns the transfers still going."""
        asked = []
        for transfer in transfers:
            try:
                command(transfer)
            except (OSError, smtplib.SMTPException) as error:
                self.lost(transfer, error)
            else:
                asked.append(transfer)
        going = []
        for transfer in asked:
            try:
                code, reply = transfer.smtp.getreply()
            except (OSError, smtplib.SMTPException) as error:
                self.lost(transfer, error)
                continue
            refusal = answer(transfer, code, reply)
            if refusal is None:
                going.append(transfer)
            else:
                self.refused(transfer, refusal)
        return going

    def still_going(self, transfer: _Transfer) -> bool:
        if transfer.refused and len(transfer.refused) == len(transfer.composed.recipients):
            self.refused(transfer, smtplib.SMTPRecipientsRefused(transfer.refused))
            return False
        return True

    def refused(self, transfer: _Transfer, error: Exception) -> None:
        """The server said no before the text: the connection is reset for the next message."""
        transfer.settled = True
        try:
            if transfer.smtp.rset()[0] != 250:
                self.session.discard(transfer.alias, transfer.slot)
        except (OSError, smtplib.SMTPException):
            self.session.discard(transfer.alias, transfer.slot)
        self.failed(transfer.message, error, permanent=_is_permanent(error))

    def lost(self, transfer: _Transfer, error: Exception) -> None:
        """The connection broke before the final dot: nothing was accepted, so the message can be retried."""
        transfer.settled = True
        self.session.discard(transfer.alias, transfer.slot)
        self.failed(transfer.message, error)

    def hand_off(self, message: OutboundMessage) -> bool:
        """Commit the marker (with the outcomes before it). False when the row is no longer this batch's."""
        now = timezone.now()
        if not self.write(marker=message, now=now):
            log.warning("outbound.claim_lost id=%s", message.pk)
            return False
        message.handoff_started_on = now
        return True

    def sent(self, message: OutboundMessage, delivered_to: list[str]) -> None:
        outcome = {
            "status": OutboundStatus.SENT,
            "sent_on": timezone.now(),
            "delivered_to": delivered_to,
            "last_error": "",
        }
        self.unwritten.append((message, outcome))

    def failed(self, message: OutboundMessage, error: Exception, *, permanent: bool = False) -> None:
        reason = _describe(error)
        if permanent or message.attempts >= settings.OUTBOUND_MAX_ATTEMPTS:
            outcome = {"status": OutboundStatus.FAILED, "last_error": reason, "handoff_started_on": None}
        else:
            outcome = {
                "status": OutboundStatus.QUEUED,
                "next_attempt_at": timezone.now() + backoff(message.attempts),
                "last_error": reason,
                "handoff_started_on": None,
            }
        self.unwritten.append((message, outcome))

    def outcome_unknown(self, message: OutboundMessage, error: Exception) -> None:
        reason = _unknown_outcome_reason(message, f"the connection broke before the server answered ({error})")
        self.unwritten.append((message, {"status": OutboundStatus.FAILED, "last_error": reason}))

    def write(self, *, marker: OutboundMessage | None = None, now=None) -> bool:
        outcomes, self.unwritten = self.unwritten, []
        if not outcomes and marker is None:
            return False
        marked, written = _write_outcomes(self.claim, outcomes, marker=marker, now=now)
        for message, outcome in outcomes:
            if message.pk not in written:
                log.warning("outbound.claim_lost id=%s", message.pk)
                continue
            for name, value in outcome.items():
                setattr(message, name, value)
            self.unannounced.append(message)
        return marked

    def announce(self) -> None:
        announced, self.unannounced = self.unannounced, []
        for message in announced:
            _announce_outcome(message)

    def wind_up(self, unstarted: list[OutboundMessage]) -> None:
        self.write()
        if unstarted:
            _release(self.claim, unstarted)
        self.announce()


def _mailer_alias(message: OutboundMessage) -> str:
    return settings.OUTBOUND_TEST_MAILER if message.is_test else settings.OUTBOUND_EMAIL_MAILER


def _compose(message: OutboundMessage) -> ComposedEmail:
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


# The composed addresses are bare addr-specs already (communications/mime.py), so they go in <> as they are.
def _ask_mail(transfer: _Transfer) -> None:
    transfer.smtp.putcmd("mail", f"FROM:<{transfer.composed.sender}>")


def _mail_answer(transfer: _Transfer, code: int, reply: bytes) -> Exception | None:
    return None if code == 250 else smtplib.SMTPSenderRefused(code, reply, transfer.composed.sender)


def _ask_rcpt(index: int, transfer: _Transfer) -> None:
    transfer.smtp.putcmd("rcpt", f"TO:<{transfer.composed.recipients[index]}>")


def _rcpt_answer(index: int, transfer: _Transfer, code: int, reply: bytes) -> None:
    # A refused recipient does not stop the others; still_going() decides once every answer is in.
    if code not in (250, 251):
        transfer.refused[transfer.composed.recipients[index]] = (code, reply)


def _ask_data(transfer: _Transfer) -> None:
    transfer.smtp.putcmd("data")


def _data_answer(transfer: _Transfer, code: int, reply: bytes) -> Exception | None:
    return None if code == 354 else smtplib.SMTPDataError(code, reply)


def _abandon(session: MailerSession, transfer: _Transfer) -> None:
    """Close the socket mid-DATA, without QUIT: the server discards the unfinished message."""
    transfer.smtp.close()
    session.discard(transfer.alias, transfer.slot)


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


def _unknown_outcome_reason(message: OutboundMessage, what: str) -> str:
    return (
        f"Outcome unknown: {what}. It is not sent again automatically; look for Message-ID "
        f"{message.message_id} in the server's log and use 'Send again' if it never arrived."
    )[:2000]


def backoff(attempt: int) -> timedelta:
    """The wait after the attempt-th failure: base, 2×base, 4×base, … up to the cap."""
    seconds = settings.OUTBOUND_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOUND_RETRY_MAX_SECONDS))


_SENDING, _SENT, _QUEUED = OutboundStatus.SENDING.value, OutboundStatus.SENT.value, OutboundStatus.QUEUED.value
_WRITE_OUTCOMES = f"""
WITH commit_mode AS (SELECT set_config('synchronous_commit', %s, true)),
outcome AS (
    SELECT * FROM unnest(%s::uuid[], %s::text[], %s::timestamptz[], %s::text[], %s::text[], %s::timestamptz[])
        AS o (id, status, sent_on, delivered_to, last_error, next_attempt_at)
), written AS (
    UPDATE {{message}} AS m SET
        status = o.status,
        sent_on = COALESCE(o.sent_on, m.sent_on),
        delivered_to = COALESCE(o.delivered_to::jsonb, m.delivered_to),
        last_error = o.last_error,
        next_attempt_at = COALESCE(o.next_attempt_at, m.next_attempt_at),
        handoff_started_on = CASE WHEN o.status = '{_SENT}' THEN m.handoff_started_on END
    FROM outcome AS o
    WHERE m.id = o.id AND m.status = '{_SENDING}' AND m.claimed_on = %s
    RETURNING m.id, m.communication_id, m.status, m.last_error
), followed AS (
    UPDATE {{communication}} AS c SET delivery_status = w.status, delivery_error = w.last_error
    FROM written AS w WHERE c.id = w.communication_id AND w.status <> '{_QUEUED}'
), marked AS (
    UPDATE {{message}} SET handoff_started_on = %s
    WHERE id = %s AND status = '{_SENDING}' AND claimed_on = %s
    RETURNING id
)
SELECT (SELECT count(*) FROM marked), ARRAY(SELECT id FROM written) FROM commit_mode
"""


_WRITE_MARKER = f"""
WITH commit_mode AS (SELECT set_config('synchronous_commit', 'off', true))
UPDATE {{message}} SET handoff_started_on = %s FROM commit_mode
WHERE id = %s AND status = '{_SENDING}' AND claimed_on = %s
"""


def _write_outcomes(claim, outcomes: list[tuple[OutboundMessage, dict]], *, marker, now) -> tuple[bool, set]:
    """Outcomes (and their communications) and the next hand-off marker, only on rows this claim still
    holds: on PostgreSQL one statement, so one commit; elsewhere (the embedded SQLite default) one
    transaction. Returns (marker written, ids whose outcome was written).

    A statement with a marker commits without waiting for the disk (synchronous_commit off): a worker
    that dies cannot undo it, and what a crash of the database server can, recover_stale covers. The
    batch's last write (no marker) waits, and with it everything the connection committed before."""
    if connection.vendor != "postgresql":
        return _write_outcomes_in_a_transaction(claim, outcomes, marker=marker, now=now)
    tables = {
        "message": connection.ops.quote_name(OutboundMessage._meta.db_table),
        "communication": connection.ops.quote_name(Communication._meta.db_table),
    }
    if not outcomes:  # most markers: the outcomes before them went with an earlier one
        marked, _ = _execute_prepared(_WRITE_MARKER.format(**tables), [now, marker.pk, claim])
        return marked == 1, set()
    columns: list[list] = [[], [], [], [], [], []]
    for message, outcome in outcomes:
        delivered_to = outcome.get("delivered_to")
        row = (
            message.pk,
            outcome["status"],
            outcome.get("sent_on"),
            None if delivered_to is None else json.dumps(delivered_to),
            outcome["last_error"],
            outcome.get("next_attempt_at"),
        )
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    commit_mode = "on" if marker is None else "off"
    params = [commit_mode, *columns, claim, now, marker.pk if marker else None, claim]
    _, (marked, written) = _execute_prepared(_WRITE_OUTCOMES.format(**tables), params)
    return bool(marked), set(written)


def _execute_prepared(sql: str, params: list) -> tuple[int, tuple | None]:
    """(row count, first row) of a statement run with server-side parameters and prepared once per
    connection: for these once-per-message statements less than half the time of Django's cursor, which
    binds parameters on the client so the server parses and plans every statement anew."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.rowcount, cursor.fetchone() if cursor.description else None


def _write_outcomes_in_a_transaction(claim, outcomes, *, marker, now) -> tuple[bool, set]:
    ours = OutboundMessage.objects.filter(status=OutboundStatus.SENDING, claimed_on=claim)
    written = set()
    with transaction.atomic():
        for message, outcome in outcomes:
            if not ours.filter(pk=message.pk).update(**outcome):
                continue
            written.add(message.pk)
            if message.communication_id and outcome["status"] != OutboundStatus.QUEUED:
                Communication.objects.filter(pk=message.communication_id).update(
                    delivery_status=outcome["status"], delivery_error=outcome["last_error"]
                )
        marked = marker is not None and ours.filter(pk=marker.pk).update(handoff_started_on=now)
    return bool(marked), written


def _release(claim, messages: list[OutboundMessage]) -> None:
    """Rows claimed but never started go back to the queue as they were, and a worker is woken for them."""
    released = OutboundMessage.objects.filter(
        pk__in=[message.pk for message in messages],
        status=OutboundStatus.SENDING,
        claimed_on=claim,
        handoff_started_on__isnull=True,
    ).update(status=OutboundStatus.QUEUED, attempts=F("attempts") - 1)
    log.info("outbound.released count=%d", released)
    if released and not current_app.conf.task_always_eager:
        wake_a_worker(messages[0].pk, messages[0].channel)


def _announce_outcome(message: OutboundMessage) -> None:
    if message.status == OutboundStatus.SENT:
        log.info(
            "outbound.sent id=%s channel=%s message_id=%s attempts=%d test=%s",
            message.id,
            message.channel,
            message.message_id,
            message.attempts,
            message.is_test,
        )
        _announce(message_sent, message)
    elif message.status == OutboundStatus.FAILED:
        log.error("outbound.failed id=%s attempts=%d error=%s", message.id, message.attempts, message.last_error)
        _announce(message_failed, message)
    else:
        delay = max((message.next_attempt_at - timezone.now()).total_seconds(), 0)
        log.warning(
            "outbound.retry_scheduled id=%s attempt=%d in_seconds=%d error=%s",
            message.id,
            message.attempts,
            delay,
            message.last_error,
        )
        # In-process (eager) tasks would run the retry at once; there the sweep or send_pending picks it up.
        if not current_app.conf.task_always_eager:
            dispatch(message.pk, message.channel, countdown=delay)


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
    # Hand-off markers commit without waiting for the disk, so a database crash may have lost the marker of
    # a message that did leave: rows claimed before the server last started are never sent again.
    restarted = _database_started_on()
    before_restart = Q(claimed_on__lt=restarted + DATABASE_CLOCK_SKEW) if restarted else Q(pk__in=[])
    # It died before the hand-off: nothing left, so sending it again cannot double it.
    requeued = (
        stale.filter(handoff_started_on__isnull=True)
        .exclude(before_restart)
        .update(status=OutboundStatus.QUEUED, next_attempt_at=now, last_error="The worker stopped before sending it.")
    )
    unknown = 0
    for message in stale.filter(Q(handoff_started_on__isnull=False) | before_restart):
        server = "the mail server" if message.channel == Channel.EMAIL else "the SMS gateway"
        what = f"the worker stopped during or right after handing it to {server}"
        if message.handoff_started_on is None:
            what = f"the database restarted while it was being handed to {server}"
        reason = _unknown_outcome_reason(message, what)
        unknown += _record_final_failure(message, reason, expected_status=OutboundStatus.SENDING)
    if requeued or unknown:
        log.warning("outbound.recovered requeued=%d unknown_outcome=%d", requeued, unknown)
    return requeued, unknown


def _database_started_on():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


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
    waiting = list(due_messages(now).values_list("pk", "channel")[:SWEEP_BATCH])
    result.due = len(waiting)
    result.dispatched = wake_workers(waiting)
    log.info("outbound.swept due=%d dispatched=%d", result.due, result.dispatched)
    return result


def wake_workers(rows: Iterable[tuple]) -> int:
    """One wake-up per batch of waiting (id, channel) rows; returns how many rows a worker was woken for."""
    by_channel: dict[str, list] = {}
    for message_id, channel in rows:
        by_channel.setdefault(channel, []).append(message_id)
    woken = 0
    size = settings.OUTBOUND_BATCH_SIZE
    for channel, ids in by_channel.items():
        for start in range(0, len(ids), size):
            if dispatch(ids[start], channel):
                woken += len(ids[start : start + size])
    return woken


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
    transaction.on_commit(lambda: wake_a_worker(message.pk, message.channel))
    log.info("outbound.requeued id=%s", message.pk)
    message.refresh_from_db()
    return message
