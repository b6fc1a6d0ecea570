"""The communication queue: completed communications waiting for an external system.

Every state change is one conditional UPDATE (`… WHERE state IN (allowed)`), so when two external
systems act on the same entry at once exactly one of them wins and the other gets a clear error.
"""

import logging

from django.utils import timezone

from accounts.actors import current_actor
from accounts.errors import IllegalTransition, MissingValue
from accounts.history import update_with_history
from accounts.numbering import next_number
from communications.models import Communication, QueueEntry, QueueState

log = logging.getLogger(__name__)


def _updated_by() -> dict:
    actor = current_actor()
    return {"updated_by_user": actor.user, "updated_by_key": actor.api_key}


def enqueue(communication: Communication) -> QueueEntry:
    number = next_number("communication_queue", "", 1, taken=lambda n: QueueEntry.objects.filter(number=n).exists())
    actor = current_actor()
    entry = QueueEntry.objects.create(
        is_test=communication.is_test,
        number=number,
        communication=communication,
        external_system_id=communication.queue_external_system_id,
        created_by_user=actor.user,
        created_by_key=actor.api_key,
        **_updated_by(),
    )
    log.info("queue_entry.created id=%s number=%s communication=%s", entry.id, number, communication.id)
    return entry


def _transition(entry: QueueEntry, allowed: tuple[str, ...], target: str, verb: str, **fields) -> QueueEntry:
    changes = {"state": target, "updated_on": timezone.now(), **_updated_by(), **fields}
    if not update_with_history(QueueEntry, entry.pk, changes, where={"state": allowed}):
        entry.refresh_from_db(fields=["state"])
        raise IllegalTransition(
            f"Queue entry {entry.number} is {entry.state}; only {' or '.join(allowed)} entries can be {verb}.",
            field="queue_entry",
        )
    # The UPDATE matched, so the row now holds exactly these values: no need to read it back.
    for name, value in changes.items():
        setattr(entry, name, value)
    log.info("queue_entry.%s id=%s number=%s", target.lower(), entry.id, entry.number)
    return entry


def process_entry(entry: QueueEntry) -> QueueEntry:
    return _transition(entry, (QueueState.PENDING,), QueueState.COMPLETED, "processed", processed_on=timezone.now())


def reject_entry(entry: QueueEntry, *, error_code: str, error_description: str) -> QueueEntry:
    if not (error_code or "").strip():
        raise MissingValue("error_code", label="The error code")
    if not (error_description or "").strip():
        raise MissingValue("error_description", label="The error description")
    return _transition(
        entry,
        (QueueState.PENDING,),
        QueueState.REJECTED,
        "rejected",
        error_code=error_code.strip(),
        error_description=error_description.strip(),
        rejected_on=timezone.now(),
    )


def remove_entry(entry: QueueEntry) -> QueueEntry:
    return _transition(entry, (QueueState.PENDING, QueueState.COMPLETED), QueueState.COMPLETED_AND_REMOVED, "removed")
