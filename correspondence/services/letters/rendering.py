"""A letter's PDF: rendered on the `pdf` queue after the record commits, for the current revision only."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.background import start_task, start_task_after_commit
from accounts.history import record_history

from ...errors.letters import AlreadySent
from ...models import Correspondence, CorrespondenceStatus
from ...pdf import render_letter
from ...printing import letter_for
from ..files import delete_files_after_commit
from .status import set_status

log = logging.getLogger(__name__)

# Letters made in bulk go to the `pdf` queue this many to a task.
RENDER_CHUNK = 100


def request_render(correspondence: Correspondence) -> None:
    """Hand the rendering to the `pdf` queue once the current transaction has committed."""
    start_task_after_commit("correspondence.render_pdf", str(correspondence.pk), correspondence.revision)


def request_renders(correspondence_ids: list) -> None:
    """Hand many letters to the `pdf` queue in chunks: one message per hundred, not one per letter.
    The letters' own sweep renders what no task was started for."""
    for start in range(0, len(correspondence_ids), RENDER_CHUNK):
        start_task("correspondence.render_pdfs", [str(pk) for pk in correspondence_ids[start : start + RENDER_CHUNK]])


def render_correspondence(correspondence_id, revision: int | None = None) -> Correspondence | None:
    """Render the PDF of the current revision and mark the correspondence ready; stale requests do nothing."""
    correspondence = (
        Correspondence.objects.select_related("correspondence_type", "customer").filter(pk=correspondence_id).first()
    )
    if correspondence is None:
        log.info("correspondence.render_skipped id=%s reason=deleted", correspondence_id)
        return None
    if revision is not None and revision != correspondence.revision:
        log.info("correspondence.render_skipped id=%s reason=stale revision=%s", correspondence_id, revision)
        return correspondence
    if correspondence.has_current_pdf and correspondence.ready_on is not None:
        return correspondence
    try:
        rendered = render_letter(letter_for(correspondence))
    except Exception as error:  # any failure is kept on the record for staff to see, not only in a worker log
        log.exception("correspondence.render_failed id=%s", correspondence.id)
        correspondence.render_error = f"{type(error).__name__}: {error}"
        Correspondence.objects.filter(pk=correspondence.pk).update(render_error=correspondence.render_error)
        record_history([correspondence], reason="could not render")
        raise
    with transaction.atomic():
        locked = Correspondence.objects.select_for_update().filter(pk=correspondence.pk).first()
        if locked is None or locked.revision != correspondence.revision:
            log.info("correspondence.render_skipped id=%s reason=changed_meanwhile", correspondence.id)
            return locked
        previous = locked.pdf.name
        locked.pdf.save(locked.pdf_filename, ContentFile(rendered.pdf), save=False)
        locked.pdf_revision = locked.revision
        locked.pdf_pages = rendered.pages
        locked.render_error = ""
        set_status(locked, CorrespondenceStatus.READY, True, f"PDF of revision {locked.revision} rendered")
        locked.save(update_fields=["pdf", "pdf_revision", "pdf_pages", "render_error", "ready_on", "updated_on"])
        if previous and previous != locked.pdf.name:
            delete_files_after_commit([previous])
    log.info(
        "correspondence.rendered id=%s revision=%s pages=%s bytes=%s",
        locked.id,
        locked.revision,
        rendered.pages,
        len(rendered.pdf),
    )
    return locked


@transaction.atomic
def render_again(correspondence: Correspondence) -> Correspondence:
    """Render a letter anew (after its type's layout changed, say); a sent letter keeps the PDF that was sent."""
    correspondence = Correspondence.objects.select_for_update().get(pk=correspondence.pk)
    if correspondence.is_sent:
        raise AlreadySent(
            f"Correspondence {correspondence.id} has been {' and '.join(correspondence.sent_status_names)}; "
            "its PDF stays as it was sent."
        )
    correspondence.revision += 1
    set_status(correspondence, CorrespondenceStatus.READY, False, "rendering asked for again")
    correspondence.save(update_fields=["revision", "ready_on", "updated_on"])
    log.info("correspondence.render_requested id=%s revision=%s", correspondence.id, correspondence.revision)
    request_render(correspondence)
    return correspondence
