"""The queue path with real parts: a `celery -A config worker` process on Redis delivering to a real SMTP server."""

import pytest
import redis
from django.db import transaction

from communications.models import OutboundMessage
from tests.brokers import celery_broker
from tests.processes import wait_until

from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(start_worker):
    return start_worker("worker", 1, queues="email,sms", pool="solo", log_level="INFO")


def test_a_worker_process_delivers_an_email_queued_through_redis(worker, broker_url, smtp_server, tmp_path):
    with celery_broker(broker_url):
        message = queue_email(
            to=["kathy.clark@example.com"],
            subject="Through the queue",
            attachments=[("note.bin", b"\x00\x01hello from the worker", "application/octet-stream")],
        )

    wait_until(
        lambda: OutboundMessage.objects.get(pk=message.pk).status == "SENT",
        90,
        "the email delivered by the worker",
        log=lambda: (tmp_path / "worker.log").read_text()[-3000:],
    )
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["kathy.clark@example.com"]
    assert mail.message["Subject"] == "Through the queue"
    assert mail.message["Message-ID"] == message.message_id
    (attachment,) = list(mail.message.iter_attachments())
    assert attachment.get_content() == b"\x00\x01hello from the worker"
    log = (tmp_path / "worker.log").read_text()
    assert "communications.send_due_email" in log
    assert f"outbound.sent id={message.pk}" in log


def test_emails_queued_together_wake_one_worker_and_each_full_batch_wakes_the_next(
    settings, broker_url, smtp_server, start_worker, tmp_path
):
    settings.OUTBOUND_BATCH_SIZE = 20
    with celery_broker(broker_url), transaction.atomic():
        messages = [queue_email(subject=f"Statement {n}") for n in range(70)]

    assert redis.Redis.from_url(broker_url).llen("email") == 1  # one wake-up stands for all 70

    start_worker("worker", 2, OUTBOUND_BATCH_SIZE=20)
    wait_until(
        lambda: not OutboundMessage.objects.exclude(status="SENT").exists(),
        90,
        "all 70 emails delivered",
        log=lambda: (tmp_path / "worker.log").read_text()[-3000:],
    )
    subjects = sorted(mail.message["Subject"] for mail in smtp_server.received)
    assert subjects == sorted(f"Statement {n}" for n in range(70))
    assert {message.message_id for message in messages} == {mail.message["Message-ID"] for mail in smtp_server.received}
