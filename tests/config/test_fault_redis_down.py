"""Redis stopped while requests arrive: every create still answers 200, and once Redis is back every email
arrives exactly once — the ones queued while it was down through the beat's sweep.

Real parts: a private redis-server, gunicorn and a Celery worker and beat on this session's PostgreSQL
database, and an SMTP server on loopback.
"""

import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from communications.models import Communication, OutboundMessage
from tests.processes import CeleryBeat, CeleryWorker, Gunicorn, HttpClient, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

CREATE = "/crmapi/rest/v2/communications/create"
# Connection refused is answered at once; the broker's connect timeout (1 s) bounds the worst case.
MAX_SECONDS_PER_REQUEST = 5


@pytest.fixture
def env(deployment_env):
    # The beat's sweep, every second, hands on rows that waited a second: the test need not wait minutes.
    return deployment_env(OUTBOUND_SWEEP_INTERVAL_SECONDS=1, OUTBOUND_SWEEP_GRACE_SECONDS=1)


def create_email(client: HttpClient, token: str, customer_id: str, n: int) -> uuid.UUID:
    """POST communications/create for an outgoing email; checks the answer and returns the communication's id."""
    body = {
        "token": token,
        "contact_information_identifier": {"id": customer_id},
        "direction": "OUTGOING",
        "media": "EMAIL",
        "to": "kathy.clark@example.com",
        "subject": f"Notice {n}",
        "content": "Dear #contact_information.first_name, your bill is ready.",
    }
    started = time.monotonic()
    answer = client.request("POST", CREATE, json.dumps(body).encode(), {"Content-Type": "application/json"})
    elapsed = time.monotonic() - started

    assert answer.status == 200, answer.text
    envelope = json.loads(answer.body)
    assert envelope["status"]["code"] == "OK"
    assert envelope["data"]["subject"] == f"Notice {n}"
    assert elapsed < MAX_SECONDS_PER_REQUEST, f"create {n} took {elapsed:.1f} s"
    return uuid.UUID(envelope["data"]["id"])


def outbound(communications: list[uuid.UUID]):
    return OutboundMessage.objects.filter(communication_id__in=communications)


def all_sent(communications: list[uuid.UUID]) -> bool:
    return outbound(communications).filter(status="SENT").count() == len(communications)


def test_requests_succeed_while_redis_is_down_and_every_email_arrives_once_it_is_back(
    env, redis_server, smtp_server, processes, make_api_key, make_contact, tmp_path
):
    token = make_api_key(["communications.read", "communications.write"])
    customer = make_contact(first_name="Kathy", email="kathy.clark@example.com").id.hex.upper()
    worker = CeleryWorker(env, tmp_path, queues="email,default")
    web = Gunicorn(env, tmp_path)
    processes += [worker, web]
    web.wait_ready()
    worker.wait_ready()
    client = HttpClient(web.url)

    before = [create_email(client, token, customer, n) for n in range(3)]
    wait_until(lambda: all_sent(before), 60, "emails queued while Redis is up delivered", log=worker.log)

    redis_server.stop()
    with ThreadPoolExecutor(max_workers=4) as clients:
        during = list(clients.map(lambda n: create_email(client, token, customer, n), range(3, 11)))
    health = client.request("GET", "/healthz")
    assert health.status == 200  # the database answers: the service is up, and says the broker is not
    assert json.loads(health.body)["broker"]["reachable"] is False

    redis_server.start()
    # What was queued while Redis was down waited, as rows: its wake-ups failed and were logged, not lost.
    assert set(outbound(during).values_list("status", "attempts")) == {("QUEUED", 0)}
    for row_id in outbound(during).values_list("pk", flat=True):
        assert f"outbound.dispatch_failed id={row_id}" in web.log(tail=1_000_000)

    after = [create_email(client, token, customer, n) for n in range(11, 14)]
    every = before + during + after
    # The web workers and the Celery worker find the new Redis by themselves, and the first wake-up's batch
    # takes every due row, those that waited included: all arrive without the sweep.
    wait_until(lambda: all_sent(every), 60, "every email delivered once Redis returned", log=worker.log)

    beat = CeleryBeat(env, tmp_path)
    processes.append(beat)
    # Two sweeps after the last delivery: nothing goes out a second time.
    wait_until(lambda: worker.count("outbound.swept") >= 2, 60, "two sweeps", log=worker.log)

    arrived = Counter(mail.message["Message-ID"] for mail in smtp_server.received)
    assert arrived == Counter(outbound(every).values_list("message_id", flat=True))
    assert set(arrived.values()) == {1}
    assert {mail.message["Subject"] for mail in smtp_server.received} == {f"Notice {n}" for n in range(14)}
    assert set(Communication.objects.filter(pk__in=every).values_list("sending_status", flat=True)) == {"SENT"}
