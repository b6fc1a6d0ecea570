"""Celery tasks: each wakes a worker for rows the database already holds, then calls a service."""

from celery import shared_task

from .services import outbound


@shared_task(name="communications.deliver_email", acks_late=True, ignore_result=True)
def deliver_email(message_id: str) -> None:
    outbound.deliver(message_id)


@shared_task(name="communications.deliver_sms", acks_late=True, ignore_result=True)
def deliver_sms(message_id: str) -> None:
    outbound.deliver(message_id)


@shared_task(name="communications.sweep_outbound", ignore_result=True)
def sweep_outbound() -> None:
    outbound.sweep()
