"""The send API: what every other app calls to send an email or an SMS.

A message is first a row, written in the caller's transaction; a worker is woken once that commits, so
nothing is sent for a request that rolls back and nothing is sent inline in a request.
"""

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import make_msgid
from django.core.validators import validate_email
from django.db import transaction

from accounts.errors import InvalidValue, MissingValue
from communications.models import Channel, Communication, OutboundAttachment, OutboundMessage, SendingStatus

from .wake_ups import wake_a_worker

log = logging.getLogger(__name__)


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
        Communication.objects.filter(pk=communication.pk).update(sending_status=SendingStatus.QUEUED, sending_error="")
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
