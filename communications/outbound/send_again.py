"""Staff's "send again": a FAILED message back to the queue, after they checked the mail server's log."""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.errors import IllegalTransition
from communications.models import Communication, OutboundMessage, OutboundStatus, SendingStatus

from .wake_ups import wake_a_worker

log = logging.getLogger(__name__)


def send_again(message: OutboundMessage) -> OutboundMessage:
    """Queue a FAILED message again from its first attempt, with the same Message-ID (so mail systems that
    de-duplicate on it drop a copy that had in fact arrived)."""
    changed = OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.FAILED).update(
        status=OutboundStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if not changed:
        raise IllegalTransition(f"Only failed messages can be sent again; this one is {message.status}.")
    if message.communication_id:
        Communication.objects.filter(pk=message.communication_id).update(
            sending_status=SendingStatus.QUEUED, sending_error=""
        )
    transaction.on_commit(lambda: wake_a_worker(message.pk, message.channel))
    log.info("outbound.requeued id=%s", message.pk)
    message.refresh_from_db()
    return message
