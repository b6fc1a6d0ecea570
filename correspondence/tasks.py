"""Celery tasks of the letters and the dispatches: thin, each calls one service."""

from datetime import timedelta

from celery import shared_task

from accounts.background import start_task

from . import selectors, services

# Letters the `pdf` queue has not rendered after this long are handed to it again.
SWEEP_IDLE = timedelta(minutes=2)


@shared_task(name="correspondence.render_pdf", ignore_result=True)
def render_correspondence_pdf(correspondence_id: str, revision: int | None = None) -> None:
    services.render_correspondence(correspondence_id, revision)


@shared_task(name="correspondence.render_pdfs", ignore_result=True)
def render_correspondence_pdfs(correspondence_ids: list[str]) -> None:
    for correspondence_id in correspondence_ids:
        services.render_correspondence(correspondence_id)


@shared_task(name="correspondence.sweep_unrendered", ignore_result=True)
def sweep_unrendered_correspondence() -> int:
    """Start again renderings that were never picked up (the broker was down, a worker died)."""
    pending = list(selectors.awaiting_pdf(idle_for=SWEEP_IDLE).values_list("pk", flat=True)[:1000])
    for correspondence_id in pending:
        start_task("correspondence.render_pdf", str(correspondence_id))
    return len(pending)


@shared_task(name="correspondence.publish_dispatch", ignore_result=True)
def publish_dispatch(dispatch_id: str) -> None:
    services.publish_due_correspondences(dispatch_id=dispatch_id)


@shared_task(name="correspondence.send_notifications", ignore_result=True)
def send_notifications() -> None:
    services.send_due_notifications()


@shared_task(name="correspondence.sweep_dispatches", ignore_result=True)
def sweep_dispatches() -> None:
    """Publish and notify whatever has fallen due, whether or not a task was sent for it: the database decides."""
    services.publish_due_correspondences()
    services.send_due_notifications()
