"""The mail server down under a running Celery worker: emails are retried with backoff through the broker and
all arrive once when it is back; past the last retry the failure is recorded on the row and its communication,
and nothing is lost — staff send it again.

Real parts: an SMTP server on loopback that is stopped and started again on the same port, a private Redis,
and a `celery worker` process on this session's PostgreSQL database.
"""

from collections import Counter

import pytest

from communications import outbound
from communications.models import Communication, OutboundMessage
from communications.services import create_communication
from tests.brokers import celery_broker
from tests.processes import CeleryWorker, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_while_the_mail_server_is_down(deployment_env, smtp_server, processes, tmp_path):
    """Stops the SMTP server, then starts a worker that gives up after `max_attempts`."""

    def start(max_attempts: int) -> CeleryWorker:
        smtp_server.stop()
        # Retries after 1 s, then every 2 s: the minutes of a deployment, in seconds.
        env = deployment_env(
            EMAIL_TIMEOUT=2,
            OUTBOUND_RETRY_BASE_SECONDS=1,
            OUTBOUND_RETRY_MAX_SECONDS=2,
            OUTBOUND_MAX_ATTEMPTS=max_attempts,
        )
        worker = CeleryWorker(env, tmp_path, queues="email")
        processes.append(worker)
        return worker.wait_ready()

    return start


def send_emails(contact, redis_server, count: int) -> list[Communication]:
    """Completed outgoing emails, as the API creates them: each queues its message and wakes a worker."""
    with celery_broker(redis_server.url()):
        return [
            create_communication(
                is_test=False,
                contact=contact,
                direction="OUTGOING",
                media="EMAIL",
                subject=f"Reminder {n}",
                content="Your bill is ready.",
                to="kathy.clark@example.com",
            )
            for n in range(count)
        ]


def messages_of(communications):
    return OutboundMessage.objects.filter(communication__in=communications)


def test_emails_are_retried_while_the_mail_server_is_down_and_each_arrives_once_it_is_back(
    worker_while_the_mail_server_is_down, redis_server, smtp_server, contact
):
    worker = worker_while_the_mail_server_is_down(max_attempts=30)

    communications = send_emails(contact, redis_server, 5)
    messages = messages_of(communications)

    def retried_twice():
        rows = list(messages.values_list("status", "attempts", "last_error"))
        return all(
            status == "QUEUED" and attempts >= 2 and "ConnectionRefused" in error for status, attempts, error in rows
        )

    wait_until(retried_twice, 60, "every email retried at least twice while the server is down", log=worker.log)
    assert smtp_server.received == []
    assert set(
        Communication.objects.filter(pk__in=[c.pk for c in communications]).values_list("sending_status", flat=True)
    ) == {"QUEUED"}

    smtp_server.start()
    wait_until(lambda: messages.filter(status="SENT").count() == 5, 60, "every email sent", log=worker.log)

    arrived = Counter(mail.message["Message-ID"] for mail in smtp_server.received)
    assert arrived == Counter(messages.values_list("message_id", flat=True))
    assert set(arrived.values()) == {1}
    for message in messages:
        assert message.attempts >= 3 and message.last_error == ""
    assert set(
        Communication.objects.filter(pk__in=[c.pk for c in communications]).values_list("sending_status", flat=True)
    ) == {"SENT"}


def test_a_mail_server_down_past_the_last_retry_is_a_recorded_failure_and_nothing_is_lost(
    worker_while_the_mail_server_is_down, redis_server, smtp_server, contact
):
    worker = worker_while_the_mail_server_is_down(max_attempts=3)

    communications = send_emails(contact, redis_server, 2)
    messages = messages_of(communications)
    wait_until(lambda: messages.filter(status="FAILED").count() == 2, 60, "both emails failed", log=worker.log)

    for message in messages:
        assert message.attempts == 3
        assert message.last_error.startswith("ConnectionRefusedError")
        assert message.sent_on is None
        # Nothing lost: what was to be sent, and the Message-ID it would carry, are all on the row.
        assert (message.recipients, message.subject, message.body) == (
            ["kathy.clark@example.com"],
            message.communication.subject,
            "Your bill is ready.",
        )
        assert message.communication.sending_status == "FAILED"
        assert message.communication.sending_error.startswith("ConnectionRefusedError")
        assert f"outbound.failed id={message.pk} attempts=3" in worker.log(tail=1_000_000)
    assert smtp_server.received == []

    # The server is back; staff send the failed messages again (the admin action calls this service).
    smtp_server.start()
    with celery_broker(redis_server.url()):
        for message in messages:
            outbound.send_again(message)
    wait_until(lambda: messages.filter(status="SENT").count() == 2, 60, "both emails sent again", log=worker.log)

    arrived = Counter(mail.message["Message-ID"] for mail in smtp_server.received)
    assert arrived == Counter(messages.values_list("message_id", flat=True))
    assert set(arrived.values()) == {1}
    assert {mail.message["Subject"] for mail in smtp_server.received} == {"Reminder 0", "Reminder 1"}
