"""One Initialize to 500 recipients with two attachments, end to end through gunicorn and PostgreSQL.

    .venv/bin/python bench/initialize.py            # 5 timed rounds of 500 recipients, and the peer
    .venv/bin/python bench/initialize.py --rounds 9

Each round uploads two fresh attachments over HTTP, then times `POST /correspondence/api/v1/correspondence`
with 500 recipients, both attachments and an email notification with a reminder (the answer carries
every order's status). A Celery worker publishes and notifies meanwhile, as in production; the time
until all 500 are published and their notifications handed to the outbound channel is reported too.
The peer, measured in the same run on the same server: the same recipients sent one per request. Beside it, the
framework floor's create (bench/framework_floor.py, a server of the same settings), ten one at a time per round,
compared per record written. Target: the 500-recipient request answers in under 2 s.
"""

import argparse
import hashlib
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
import harness

ROOT = harness.ROOT

RECIPIENTS = 500
PEER_REQUESTS = 50
TARGET_SECONDS = 2.0
FLOOR_CREATES = 10  # per round
ATTACHMENT = b"%PDF-1.4\n" + b"% bench attachment\n" * 5000 + b"%%EOF\n"


def organisation_numbers(count: int) -> list[str]:
    from stdnum.no import orgnr

    found = []
    base = 80_000_000
    while len(found) < count:
        base += 1
        found += [f"{base}{d}" for d in range(10) if orgnr.is_valid(f"{base}{d}")][:1]
    return found


def prepare() -> tuple[str, list[str]]:
    """Customers with organisation numbers and emails, and a sender key; returns (key, recipients)."""
    from accounts import services
    from accounts.models import Contact

    numbers = organisation_numbers(RECIPIENTS)
    existing = set(Contact.objects.filter(org_number__in=numbers).values_list("org_number", flat=True))
    Contact.objects.bulk_create(
        Contact(contact_type="COMPANY", company_name=f"Bench {n} AS", org_number=n, email=f"post@{n}.example.com")
        for n in numbers
        if n not in existing
    )
    key = services.create_api_key("bench initialize", ["correspondence.read", "correspondence.write"])
    return key, [f"0192:{n}" for n in numbers]


def call(url: str, key: str, method: str = "GET", body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def upload_attachment(base: str, key: str, name: str) -> str:
    checksum = hashlib.md5(ATTACHMENT).hexdigest()
    body = {"fileName": name, "sendersReference": "bench", "checksum": checksum}
    attachment_id = call(f"{base}/correspondence/api/v1/attachment", key, "POST", body)
    uploaded = call(
        f"{base}/correspondence/api/v1/attachment/{attachment_id}/upload",
        key,
        "POST",
        ATTACHMENT,
        content_type="application/octet-stream",
    )
    assert uploaded["status"] == "Published", uploaded
    return attachment_id


def initialize_body(recipients: list[str], attachments: list[str], reference: str) -> dict:
    return {
        "correspondence": {
            "resourceId": "bench",
            "sendersReference": reference,
            "content": {
                "language": "nb",
                "messageTitle": "Ny tariff",
                "messageSummary": "Prisene endres 1. mars",
                "messageBody": "Hei,\n\nprisene endres 1. mars.",
            },
            "notification": {"notificationTemplate": "GenericAltinnMessage", "sendReminder": True},
        },
        "recipients": recipients,
        "existingAttachments": attachments,
    }


def wait_until_notified(reference: str, timeout: float = 120.0) -> float:
    """Seconds until every correspondence of the reference is published and its notification handed over."""
    from correspondence.models import (
        DispatchedCorrespondence,
        DispatchedCorrespondenceStatus,
        NotificationOrder,
        NotificationState,
    )

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        correspondences = DispatchedCorrespondence.objects.filter(dispatch__senders_reference=reference)
        waiting = correspondences.exclude(status=DispatchedCorrespondenceStatus.PUBLISHED).count()
        pending = NotificationOrder.objects.filter(
            dispatched_correspondence__dispatch__senders_reference=reference,
            is_reminder=False,
            state=NotificationState.PENDING,
        ).count()
        if not waiting and not pending:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError(f"{reference} was not published and notified within {timeout} s")


def wait_until_rendered(reference: str, timeout: float = 300.0) -> None:
    """Let the `pdf` queue finish the round's letters, so each round starts on an idle machine."""
    from correspondence.models import Correspondence

    deadline = time.perf_counter() + timeout
    letters = Correspondence.objects.filter(
        dispatched_correspondence__dispatch__senders_reference=reference, ready_on__isnull=True
    )
    while letters.exists():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the letters of {reference} were not rendered within {timeout} s")
        time.sleep(0.2)


def run(rounds: int = 5) -> list[harness.Row]:
    database_url = harness.bench_env()["DATABASE_URL"]
    harness.ensure_database(database_url)
    # The notifications go to a file outbox: the bench measures our side, not an SMTP server's.
    outbox = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/tmp/bench-outbox",
    }
    harness.setup_django(**outbox)
    key, recipients = prepare()

    note_ids = framework_floor.prepare()
    batch, notified, peer, floor = [], [], [], []
    with (
        harness.gunicorn(workers=2, **outbox) as base,
        harness.celery_worker("default,email,sms,pdf", **outbox),
        framework_floor.server(workers=2) as floor_url,
    ):
        url = f"{base}/correspondence/api/v1/correspondence"
        # The framework floor's create, one at a time over a new connection each (as `call` asks), while the worker
        # is idle as it is when each Initialize is sent.
        create_note = framework_floor.Client(floor_url, note_ids[0], keep_alive=False)
        for round_number in range(rounds + 1):
            creates = [create_note(framework_floor.CREATE) for _ in range(FLOOR_CREATES)]
            attachments = [upload_attachment(base, key, "vilkar.pdf"), upload_attachment(base, key, "tariff.pdf")]
            reference = f"bench-{time.time_ns()}"
            started = time.perf_counter()
            answer = call(url, key, "POST", initialize_body(recipients, attachments, reference))
            elapsed = time.perf_counter() - started
            assert len(answer["correspondences"]) == RECIPIENTS
            assert {o["status"] for c in answer["correspondences"] for o in c["notifications"]} == {"Success"}
            after = wait_until_notified(reference)
            wait_until_rendered(reference)
            if round_number:  # the first round warms the server's processes up
                batch.append(elapsed)
                notified.append(elapsed + after)
                floor.extend(creates)
        attachments = [upload_attachment(base, key, "vilkar.pdf"), upload_attachment(base, key, "tariff.pdf")]
        for recipient in recipients[:PEER_REQUESTS]:
            started = time.perf_counter()
            call(url, key, "POST", initialize_body([recipient], attachments, f"peer-{time.time_ns()}"))
            peer.append(time.perf_counter() - started)

    median = statistics.median(batch)
    batch_rate = RECIPIENTS / median
    peer_rate = 1 / statistics.median(peer)
    met = median < TARGET_SECONDS
    print(f"{'measure':<52}{'median':>10}{'p90':>10}{'recipients/s':>14}")
    print(
        f"{'Initialize, 500 recipients + 2 attachments (answer)':<52}{median * 1000:>8.0f}ms"
        f"{harness.percentile_ms(batch, 90):>8.0f}ms{batch_rate:>14.0f}"
    )
    print(
        f"{'... until all published and notifications queued':<52}{statistics.median(notified) * 1000:>8.0f}ms"
        f"{harness.percentile_ms(notified, 90):>8.0f}ms{RECIPIENTS / statistics.median(notified):>14.0f}"
    )
    print(
        f"{'peer: one recipient per Initialize request':<52}{harness.median_ms(peer):>8.0f}ms"
        f"{harness.percentile_ms(peer, 90):>8.0f}ms{peer_rate:>14.0f}"
    )
    floor_rate = 1 / statistics.median(floor)
    print(
        f"{'framework floor: DRF create of one note, one at a time':<52}{harness.median_ms(floor):>8.1f}ms"
        f"{harness.percentile_ms(floor, 90):>8.1f}ms{floor_rate:>14.0f}"
    )
    print(f"ratio batch/peer (recipients per second): {batch_rate / peer_rate:.1f}x")
    print(f"per record, vs the floor's create: {batch_rate / floor_rate:.2f}x; the peer {peer_rate / floor_rate:.2f}x")
    print(f"target 500 recipients < {TARGET_SECONDS:.0f} s: {harness.verdict(met)} ({median:.2f} s)")
    results = {
        "rounds": rounds,
        "answer_seconds": batch,
        "published_and_notified_seconds": notified,
        "peer_request_seconds": peer,
        "median_answer_seconds": median,
        "recipients_per_second": batch_rate,
        "peer_recipients_per_second": peer_rate,
        "floor_create_seconds": floor,
        "target_met": met,
    }
    (ROOT / "bench" / "results-initialize.json").write_text(json.dumps(results, indent=2))
    return [
        harness.Row(
            "Initialize, 500 recipients + 2 attachments, answer (gunicorn + celery)",
            f"median {median:.2f} s, p90 {harness.percentile_ms(batch, 90) / 1000:.2f} s, {batch_rate:.0f} rcpt/s",
            f"< {TARGET_SECONDS:.0f} s",
            f"one recipient per request: {peer_rate:.0f} recipients/s",
            f"{batch_rate / peer_rate:.1f}x",
            harness.verdict(met),
            # A create of 500 correspondences against creates of one row: compared per record written.
            floor=f"{batch_rate / floor_rate:.2f}x its create per record, {floor_rate:.0f} creates/s one at a time"
            f" ({harness.median_ms(floor):.1f} ms)",
        ),
        harness.Row(
            "Initialize, until all 500 published and notified",
            f"median {statistics.median(notified):.2f} s",
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    run(parser.parse_args().rounds)


if __name__ == "__main__":
    main()
