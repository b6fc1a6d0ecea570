import contextlib
import socket

import pytest
from django.core.mail import make_msgid
from kombu import pools as kombu_pools

from communications.models import OutboundMessage
from config.celery import app as celery_app
from tests.smtp_sink import SmtpSink


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the default mailer sends to it."""
    sink = SmtpSink().start()
    settings.MAILERS = {"default": sink.mailer()}
    yield sink
    sink.stop()


@pytest.fixture
def dead_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings, dead_port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": dead_port, "timeout": 2},
        }
    }


@contextlib.contextmanager
def celery_broker(url: str):
    """Hand tasks to a real broker at `url` instead of running them in-process, for the block."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    _forget_connections()
    conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        _forget_connections()
        conf.update(broker_url=saved[0], task_always_eager=saved[1])


def _forget_connections():
    # Celery's pools live in kombu's process-wide registry; closing one there would leave it closed for
    # the next test, so the registry is emptied and the app forgets its references.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(dead_port):
    """The broker does not answer: every dispatch fails."""
    with celery_broker(f"redis://127.0.0.1:{dead_port}/0"):
        yield


@pytest.fixture
def make_outbound(db):
    """Rows as send_email leaves them, without waking any worker."""

    def make(**fields):
        defaults = {
            "channel": "EMAIL",
            "recipients": ["kathy.clark@example.com"],
            "from_address": "correspondence@example.com",
            "subject": "Your letter",
            "body": "Dear Kathy",
            "source_type": "tests.email",
            "message_id": make_msgid(domain="example.com"),
        }
        return OutboundMessage.objects.create(**{**defaults, **fields})

    return make
