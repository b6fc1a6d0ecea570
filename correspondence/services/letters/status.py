"""A letter's statuses (ready, emailed, delivered): stamped on the row, each change kept in its history."""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.actors import current_actor

from ...errors.letters import NotReady
from ...models import Correspondence, CorrespondenceStatus, CorrespondenceStatusChange

log = logging.getLogger(__name__)

STATUS_STAMPS = {
    CorrespondenceStatus.READY: "ready_on",
    CorrespondenceStatus.EMAILED: "emailed_on",
    CorrespondenceStatus.DELIVERED: "delivered_on",
}


def set_status(correspondence: Correspondence, status: str, active: bool, note: str) -> None:
    """Stamp or clear a status on the row (the caller saves it) and record the change in its history."""
    stamp = STATUS_STAMPS[status]
    if (getattr(correspondence, stamp) is not None) == active:
        return
    now = timezone.now()
    setattr(correspondence, stamp, now if active else None)
    CorrespondenceStatusChange.objects.create(
        correspondence=correspondence,
        status=status,
        active=active,
        changed_on=now,
        note=note[:300],
        **current_actor().stamp(),
    )


@transaction.atomic
def mark_delivered(correspondence: Correspondence) -> Correspondence:
    """Record that the letter reached the customer. It must be ready; marking it again changes nothing."""
    correspondence = Correspondence.objects.select_for_update().get(pk=correspondence.pk)
    if correspondence.ready_on is None:
        raise NotReady(f"Correspondence {correspondence.id} is not ready yet; its PDF is still being rendered.")
    if correspondence.delivered_on is None:
        set_status(correspondence, CorrespondenceStatus.DELIVERED, True, "marked delivered")
        correspondence.save(update_fields=["delivered_on", "updated_on"])
        log.info("correspondence.delivered id=%s", correspondence.id)
    return correspondence
