import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.conf import settings as django_settings
from django.core.mail import make_msgid
from kombu import pools as kombu_pools

from accounts.models import Group
from communications import services
from communications.models import Category, OutboundMessage, PrivacyLevel, QueueEntry, QueueExternalSystem, Template
from config.celery import app as celery_app
from tests.communications.crm_client import CrmClient
from tests.processes import session_database_url
from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]


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
    # kombu keeps producer pools per broker URL as well; one built on the pool closed above would be handed
    # out again (and refuse: "Acquire on closed pool") to in-process tasks that ran before this test.
    kombu.pools.reset()


@pytest.fixture
def broker_url():
    """The Redis database worker processes in these tests use, its queues emptied before and after."""
    url = os.environ.get("REDIS_URL") or django_settings.REDIS_URL
    assert url, "REDIS_URL must name the Redis database the worker tests may use"
    client = redis.Redis.from_url(url)
    keys = ["email", "sms", "unacked", "unacked_index"]
    keys += [f"outbound:wake-up-waiting:{channel}" for channel in ("EMAIL", "SMS")]
    client.delete(*keys)
    yield url
    client.delete(*keys)


@pytest.fixture
def start_worker(broker_url, smtp_server, tmp_path):
    """Start real `celery worker` processes on the email queue, sending to the test's SMTP server; each in its
    own process group, so one signal reaches the parent and its pool processes together."""
    started = []

    def start(
        name: str,
        concurrency: int = 2,
        *,
        queues: str = "email",
        pool: str = "prefork",
        log_level: str = "WARNING",
        **settings,
    ) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": session_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_server.port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "LOG_LEVEL": log_level,
            **{key: str(value) for key, value in settings.items()},
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "-n", f"{name}@%h"]
        command += ["-P", pool, "-c", str(concurrency), "-l", log_level]
        command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


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


@pytest.fixture
def crm(api_key):
    return CrmClient(api_key)


@pytest.fixture
def crm_test_mode(test_api_key):
    return CrmClient(test_api_key)


@pytest.fixture
def seed_names(db):
    """The reference records seed 003's examples name."""
    return {
        "template": Template.objects.create(
            name="Subscription Information",
            direction="OUTGOING",
            media="EMAIL",
            subject=" Information for subscription #subscription.number",
            content="Dear #contact_information.first_name, about subscription #subscription.number.",
        ),
        "category": Category.objects.create(
            name="Customer Care Information", code="cci", description="Customer Care Information"
        ),
        "conax": QueueExternalSystem.objects.create(name="CONAX Mail message", alternative_code="CW5 MAIL"),
        "group": Group.objects.create(name="Main Group", code="MG1", description="Main Group"),
        "privacy": PrivacyLevel.objects.create(name="Internal", alternative_code="INT"),
    }


@pytest.fixture
def darko(make_contact):
    """The contact of seed 003's unrestricted-parameter examples."""
    return make_contact(
        first_name="Darko",
        middle_name="m",
        last_name="Mika",
        title="Mr",
        gender="MALE",
        id_number="1457889",
        email="m_michael@crm.com",
        addresses=[{"address_line_1": "1 Main Street", "town_city": "Boston", "country_code": "USA"}],
    )


@pytest.fixture
def make_communication(db, contact):
    def make(**fields):
        defaults = {
            "is_test": False,
            "contact": contact,
            "direction": "OUTGOING",
            "media": "EMAIL",
            "subject": "Hello",
            "content": "Dear customer",
            "to": contact.email,
            "state": "DRAFT",
        }
        return services.create_communication(**{**defaults, **fields})

    return make


@pytest.fixture
def make_queue_entry(make_communication, seed_names):
    """A PENDING queue entry, made the way the product makes them: by completing a communication."""

    def make(number=None, external_system=None, state="PENDING", **fields):
        system = external_system or seed_names["conax"]
        communication = make_communication(state="COMPLETED", queue_external_system=system, **fields)
        entry = communication.queue_entries.get()
        changes = {"state": state, **({"number": number} if number else {})}
        QueueEntry.objects.filter(pk=entry.pk).update(**changes)
        entry.refresh_from_db()
        return entry

    return make
