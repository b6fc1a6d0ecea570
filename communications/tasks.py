"""Celery tasks: each wakes a worker for rows the database already holds, then calls a service."""

from celery import shared_task

from . import outbound
from .models import Channel


@shared_task(name="communications.send_due_email", bind=True, acks_late=True, ignore_result=True)
def send_due_email(self, message_id: str | None = None) -> None:
    # A wake-up: the worker sends a batch of whatever email is due, the row that asked included unless
    # another worker has it already. A worker process keeps its SMTP connections from task to task; an
    # in-process (eager) task does not.
    session = None if self.request.is_eager else outbound.worker_session()
    outbound.answer_wake_up(Channel.EMAIL, session=session)


@shared_task(name="communications.send_due_sms", acks_late=True, ignore_result=True)
def send_due_sms(message_id: str | None = None) -> None:
    outbound.answer_wake_up(Channel.SMS)


@shared_task(name="communications.sweep_outbound", ignore_result=True)
def sweep_outbound() -> None:
    outbound.sweep()
