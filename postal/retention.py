"""Retention for letters at the mail house (see docs/operations.md, "Retention").

Letters whose journey is over (lodged, cancelled or returned) lose their PDF and their recipient's
email and phone; reference, status, transports, price and dates stay for billing and status look-ups.
Letters still Received are work in progress and stay whole.
"""

import logging
from datetime import datetime

from django.db import transaction

from accounts.history import anonymise_history, record_history
from accounts.retention import NoProgress, Progress, in_batches

from .models import Letter, LetterStatus

log = logging.getLogger(__name__)


def purge(
    cutoff: datetime, *, dry_run: bool = False, batch_size: int = 1000, progress: Progress = NoProgress
) -> dict[str, int]:
    finished = Letter.objects.filter(
        received_on__lt=cutoff, status__in=[LetterStatus.LODGED, LetterStatus.CANCELLED, LetterStatus.RETURNED]
    ).exclude(pdf="")
    rows = in_batches(
        finished,
        _strip_letters,
        description="Postal letters",
        dry_run=dry_run,
        batch_size=batch_size,
        progress=progress,
    )
    return {"letters_anonymised": rows}


def _strip_letters(dbids: list) -> int:
    letters = Letter.objects.filter(pk__in=dbids)
    files = [name for name in letters.values_list("pdf", flat=True) if name]
    updated = letters.update(pdf="", email="", phone="")
    anonymise_history(Letter, dbids, {"pdf": "", "email": "", "phone": ""})
    record_history(letters, reason="anonymised")
    storage = Letter._meta.get_field("pdf").storage
    # The files go only once the rows no longer point at them.
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    log.info("letter.anonymised count=%s first_dbid=%s", updated, dbids[0])
    return updated
