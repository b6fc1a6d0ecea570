"""Celery tasks: each wakes a worker for rows the database already holds, then calls a service."""

from celery import shared_task

from .services import outbound


@shared_task(name="communications.deliver_email", bind=True, acks_late=True, ignore_result=True)
def deliver_email(self, message_id: str) -> None:
    # A worker process keeps one SMTP connection from task to task; an in-process (eager) task does not.
    session = None if self.request.is_eager else outbound.worker_session()
    outbound.deliver(message_id, session=session)


@shared_task(name="communications.deliver_sms", acks_late=True, ignore_result=True)
def deliver_sms(message_id: str) -> None:
    outbound.deliver(message_id)


@shared_task(name="communications.sweep_outbound", ignore_result=True)
def sweep_outbound() -> None:
    outbound.sweep()
