"""The queue path with real parts: a `celery -A config worker` process on Redis delivering to a real SMTP server."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from communications.models import OutboundMessage

from .conftest import celery_broker
from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def session_database_url() -> str:
    """The URL of the database this test session runs on, for the worker process to share."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker_url():
    url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    assert url, "REDIS_URL must name the Redis database the worker test may use"
    client = redis.Redis.from_url(url)
    client.delete("email", "sms")
    yield url
    client.delete("email", "sms")


@pytest.fixture
def worker(broker_url, smtp_server, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": session_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    log = (tmp_path / "worker.log").open("w")
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "email,sms", "-P", "solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def wait_for(predicate, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_process_delivers_an_email_queued_through_redis(worker, broker_url, smtp_server, tmp_path):
    with celery_broker(broker_url):
        message = queue_email(
            to=["kathy.clark@example.com"],
            subject="Through the queue",
            attachments=[("note.bin", b"\x00\x01hello from the worker", "application/octet-stream")],
        )

    delivered = wait_for(lambda: OutboundMessage.objects.get(pk=message.pk).status == "SENT")

    assert delivered, (tmp_path / "worker.log").read_text()[-3000:]
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["kathy.clark@example.com"]
    assert mail.message["Subject"] == "Through the queue"
    assert mail.message["Message-ID"] == message.message_id
    (attachment,) = list(mail.message.iter_attachments())
    assert attachment.get_content() == b"\x00\x01hello from the worker"
    log = (tmp_path / "worker.log").read_text()
    assert "communications.deliver_email" in log
    assert f"outbound.sent id={message.pk}" in log
