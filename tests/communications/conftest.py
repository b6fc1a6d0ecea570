"""Fixtures of the communications tests: the reference records seed 003's examples name, outbound rows, a mail
server that is down, and real Celery worker processes on a real Redis."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

from accounts import services as accounts
from accounts.models import Group, Lead, Subscription, SubscriptionType
from communications.models import Category, PrivacyLevel, Template
from tests.factories import free_currency
from tests.processes import free_port, session_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp_down(settings):
    """The default mailer sends to a loopback port nothing listens on."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }


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
def seed_names(queue_external_system):
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
        "conax": queue_external_system,
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


# The subscriptions and the lead of seed 003's examples, as its responses show them: number -> (id, state, account
# number and name, type id, name, alternative code and description).
SEED_SUBSCRIPTIONS = {
    "S60302": (
        "9C684858373B49FF97668E4FD9281357",
        "EFFECTIVE",
        ("195", "Xenofontos"),
        ("3100B0D56E7C7EADF073C34BCE1E42AF", "London", "LND", "For Subscribers residing in London\n"),
    ),
    "S60052": (
        "E8B11F7565F50496A1FD94B6447BEE0C",
        "CANCELLED",
        ("74", "Paulou"),
        ("6BB2B984CC9309775D06650C7493A836", "Normal Subscription", "ST", ""),
    ),
    "S60105": ("0A1B2C3D4E5F40718293A4B5C6D7E8F9", "EFFECTIVE", ("253", "CityFlat Sub"), None),
}


@pytest.fixture
def seed_subscription(db):
    """`seed_subscription(contact, "S60302")`: that subscription of seed 003, of the contact's account of the seed's
    number, made through the service staff use."""

    def make(contact, number):
        guid, state, (account_number, account_name), kind = SEED_SUBSCRIPTIONS[number]
        account = accounts.create_account(
            contact, currency_code=free_currency(contact), number=account_number, name=account_name
        )
        subscription_type = None
        if kind:
            type_id, name, code, description = kind
            subscription_type, _ = SubscriptionType.objects.get_or_create(
                id=uuid.UUID(type_id), defaults={"name": name, "alternative_code": code, "description": description}
            )
        subscription = accounts.save_record(
            Subscription(id=uuid.UUID(guid), number=number, contact=contact, account=account, type=subscription_type)
        )
        for step in dict.fromkeys(["EFFECTIVE", state]):
            accounts.change_record_state(subscription, step)
        return subscription

    return make


@pytest.fixture
def seed_lead(db):
    """`seed_lead(contact)`: lead 60 of seed 003's update example."""

    def make(contact):
        return accounts.save_record(
            Lead(id=uuid.UUID("84E75C50C44E67F8E545458179646CBB"), number="60", contact=contact, title="ASOS")
        )

    return make
