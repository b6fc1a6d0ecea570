"""kill -9 a Celery worker in the middle of a batch of 1,000 emails: every email arrives exactly once.

Real parts throughout: `celery worker` processes on Redis, an aiosmtpd server, PostgreSQL. The worker
(two pool processes) is killed with SIGKILL, parent and children at once, when the server has about half
of the emails. After the claim lease a sweep recovers what the dead processes held, and a second worker
delivers the rest.

What the design allows (docs/communications.md): a message whose hand-off marker was committed but whose
final dot never left — a window of one send() call — is recorded "Outcome unknown" without having arrived;
at most one per killed sending process. Nothing may arrive twice and everything else must arrive.
"""

import os
import signal
import time
from collections import Counter

import pytest
from django.core.mail import make_msgid

from communications import outbound
from communications.models import OutboundMessage
from communications.outbound.wake_ups import wake_a_worker
from tests.brokers import celery_broker
from tests.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

EMAILS = 1000
LEASE_SECONDS = 3
POOL_PROCESSES = 2


def test_killing_a_worker_mid_batch_delivers_every_email_exactly_once(
    settings, smtp_server, broker_url, start_worker, tmp_path
):
    settings.OUTBOUND_CLAIM_LEASE_SECONDS = LEASE_SECONDS
    settings.OUTBOUND_SWEEP_GRACE_SECONDS = 0
    rows = OutboundMessage.objects.bulk_create(
        OutboundMessage(
            channel="EMAIL",
            recipients=[f"customer{n}@example.com"],
            from_address="correspondence@example.com",
            subject=f"Statement {n}",
            body="Dear customer,\nyour statement is ready.\n",
            source_type="tests.worker_kill",
            message_id=make_msgid(domain="example.com"),
        )
        for n in range(EMAILS)
    )
    with celery_broker(broker_url):
        for row in rows:  # as send_email does for each: one wake-up waits, the others ride on it
            wake_a_worker(row.pk, "EMAIL")

    worker_settings = {"OUTBOUND_CLAIM_LEASE_SECONDS": LEASE_SECONDS, "OUTBOUND_BATCH_SIZE": 50}
    first = start_worker("first", POOL_PROCESSES, **worker_settings)
    # Under load a process may sit between two batches at the half-way mark; kill only while one holds a claim.
    wait_until(
        lambda: len(smtp_server.received) >= EMAILS // 2 and OutboundMessage.objects.filter(status="SENDING").exists(),
        180,
        "half the emails received and a batch in flight before the kill",
        interval=0.002,
        log=lambda: (tmp_path / "first.log").read_text()[-3000:],
    )
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    arrived_before_the_kill = len(smtp_server.received)

    holding = OutboundMessage.objects.filter(status="SENDING").count()
    assert holding > 0, "the worker was not in the middle of a batch"
    time.sleep(LEASE_SECONDS + 1)  # the dead processes' claims expire
    with celery_broker(broker_url):
        recovered = outbound.sweep()
    assert recovered.requeued + recovered.unknown_outcome == holding

    start_worker("second", POOL_PROCESSES, **worker_settings)
    wait_until(
        lambda: not OutboundMessage.objects.filter(status__in=["QUEUED", "SENDING"]).exists(),
        180,
        "every row finished by the second worker",
        log=lambda: (tmp_path / "second.log").read_text()[-3000:],
    )

    arrivals = Counter(mail.message["Message-ID"] for mail in smtp_server.received)
    assert [message_id for message_id, times in arrivals.items() if times > 1] == []
    assert len(arrivals) > arrived_before_the_kill  # the second worker delivered the rest
    outcomes = dict(OutboundMessage.objects.values_list("message_id", "status"))
    assert set(arrivals) <= set(outcomes)
    never_arrived = set(outcomes) - set(arrivals)
    assert len(never_arrived) <= POOL_PROCESSES
    assert {outcomes[message_id] for message_id in never_arrived} <= {"FAILED"}
    # FAILED only as "Outcome unknown": an email the dead worker handed over (arrived or not) and could not record.
    failed = OutboundMessage.objects.filter(status="FAILED").values_list("last_error", flat=True)
    assert all(reason.startswith("Outcome unknown") for reason in failed), list(failed)
    assert set(outcomes.values()) <= {"SENT", "FAILED"}
