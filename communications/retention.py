"""Retention for communications and outbound messages (see docs/operations.md, "Retention").

- Outbound messages that reached the end of their road (sent or failed) are deleted with their attachments;
  rows still queued or sending are work in progress and stay.
- Communications are anonymised: what was said and to whom goes (addresses, subject, content, notes,
  user-defined text, referred identifiers, unrestricted parameters); the number, code, contact, direction,
  media, state and dates stay, so counts, numbering and the customer's history keep adding up.
"""

import logging
from datetime import datetime

from accounts.history import anonymise_history, record_history
from accounts.retention import NoProgress, Progress, in_batches

from .models import (
    UDF_STRING_FIELDS,
    Communication,
    OutboundMessage,
    OutboundStatus,
    UnrestrictedParameter,
)

log = logging.getLogger(__name__)

ANONYMOUS = {
    "from_address": "",
    "to_address": "",
    "subject": "",
    "content": "",
    "notes": None,
    "sending_error": "",
    "referring_to": {},
    **dict.fromkeys(UDF_STRING_FIELDS, None),
}


def purge(
    cutoff: datetime, *, dry_run: bool = False, batch_size: int = 1000, progress: Progress = NoProgress
) -> dict[str, int]:
    finished = OutboundMessage.objects.filter(
        created_on__lt=cutoff, status__in=[OutboundStatus.SENT, OutboundStatus.FAILED]
    )
    # Content is required when a communication is made, so blank content marks one already anonymised.
    identifiable = Communication.objects.filter(created_on__lt=cutoff).exclude(content="")
    return {
        "outbound_messages_deleted": in_batches(
            finished,
            _delete_messages,
            description="Outbound messages",
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
        ),
        "communications_anonymised": in_batches(
            identifiable,
            _anonymise_communications,
            description="Communications",
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
        ),
    }


def _delete_messages(ids: list) -> int:
    deleted, _ = OutboundMessage.objects.filter(pk__in=ids).delete()
    log.info("outbound.purged count=%s first_id=%s", len(ids), ids[0])
    return deleted


def _anonymise_communications(ids: list) -> int:
    UnrestrictedParameter.objects.filter(communication_id__in=ids).delete()
    updated = Communication.objects.filter(pk__in=ids).update(**ANONYMOUS)
    # What was said goes from the record's earlier snapshots too; the history keeps who acted and when.
    anonymise_history(Communication, ids, {k: v for k, v in ANONYMOUS.items() if k != "sending_error"})
    record_history(Communication.objects.filter(pk__in=ids), reason="anonymised")
    log.info("communication.anonymised count=%s first_id=%s", len(ids), ids[0])
    return updated
