"""Emails per second from queued outbound rows to a local SMTP server, against a bare smtplib loop.

Three ways over the same aiosmtpd server (its own process, loopback, ephemeral port), in one run:
  ceiling   a bare smtplib loop: one connection, the same message bytes N times;
  inline    `send_pending --inline`'s path: claim each row, send over one reused connection, record it;
  workers   the production path: each row handed to Redis, a `celery worker` (2 processes, queue
            "email", one kept-open SMTP connection per process) claims, sends and records it.

    .venv/bin/python bench/email_delivery.py [--messages 500]
"""

import argparse
import email.policy
import os
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

SINK = """
import sys
from tests.smtp_sink import SmtpSink
sink = SmtpSink().start()
print(sink.port, flush=True)
sys.stdin.read()
print(len(sink.received), flush=True)
sink.stop()
"""
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
BODY = "Dear customer,\n\n" + "Your statement for this month is ready in the customer portal.\n" * 20


class SmtpServer:
    """aiosmtpd in a child process, so it does not share the sender's interpreter lock."""

    def __enter__(self):
        self.process = subprocess.Popen(
            [harness.PYTHON, "-c", SINK],
            cwd=harness.ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(harness.ROOT)},
        )
        self.port = int(self.process.stdout.readline())
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()

    def received(self) -> int:
        """Stop the server and return how many messages it accepted."""
        self.process.stdin.close()
        count = int(self.process.stdout.readline())
        self.process.wait(timeout=10)
        return count


def ceiling(port: int, messages: int) -> float:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "bench@example.com", "customer@example.com", "Statement"
    message.set_content(BODY)
    raw = message.as_bytes(policy=email.policy.SMTP)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(messages):
            smtp.sendmail("bench@example.com", ["customer@example.com"], raw)
    return messages / (time.perf_counter() - started)


def queue_rows(messages: int, batch: str) -> list:
    from django.core.mail import make_msgid

    from communications.models import OutboundMessage

    rows = [
        OutboundMessage(
            channel="EMAIL",
            recipients=["customer@example.com"],
            from_address="bench@example.com",
            subject=f"Statement {n}",
            body=BODY,
            source_type="bench.email_delivery",
            source_id=batch,
            message_id=make_msgid(domain="example.com"),
        )
        for n in range(messages)
    ]
    OutboundMessage.objects.bulk_create(rows, batch_size=500)
    return [row.pk for row in rows]


def inline(ids: list) -> float:
    from communications.services import outbound

    started = time.perf_counter()
    with outbound.MailerSession() as session:
        for message_id in ids:
            outbound.deliver(message_id, session=session)
    return len(ids) / (time.perf_counter() - started)


def workers(ids: list, batch: str, port: int) -> float:
    from communications.models import OutboundMessage
    from communications.services import outbound

    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_BACKEND": SMTP_BACKEND}
    with harness.celery_worker(queues="email", concurrency=2, **env):
        started = time.perf_counter()
        for message_id in ids:
            outbound.dispatch(message_id, "EMAIL")
        deadline = time.monotonic() + 300
        pending = OutboundMessage.objects.filter(source_id=batch).exclude(status="SENT")
        while pending.exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"{pending.count()} messages still not sent after 300 s")
            time.sleep(0.05)
        return len(ids) / (time.perf_counter() - started)


TARGET_PER_SECOND = 1000


def run(messages: int = 500) -> list[harness.Row]:
    """The ceiling and both ways of sending over one SMTP server; prints the detail, returns the table rows."""
    database_url = os.environ.get("BENCH_DATABASE_URL", harness.DEFAULT_DATABASE_URL)
    harness.ensure_database(database_url)

    with SmtpServer() as server:
        harness.setup_django(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            EMAIL_BACKEND=SMTP_BACKEND,
        )
        import redis

        redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).delete("email")
        stamp = str(int(time.time()))
        results = {"ceiling: bare smtplib loop": ceiling(server.port, messages)}
        results["inline: claim, send, record"] = inline(queue_rows(messages, f"inline-{stamp}"))
        worker_ids = queue_rows(messages, f"workers-{stamp}")
        results["workers: Redis + celery (2 processes)"] = workers(worker_ids, f"workers-{stamp}", server.port)
        accepted = server.received()

    expected = 3 * messages
    if accepted != expected:
        raise SystemExit(f"The SMTP server accepted {accepted} messages, expected {expected}.")
    top = results["ceiling: bare smtplib loop"]
    print(f"\n{messages} messages per way, {accepted} accepted by the SMTP server in all")
    print(f"{'way':40} {'emails/s':>9} {'vs ceiling':>11}")
    for name, rate in results.items():
        print(f"{name:40} {rate:9.1f} {rate / top:10.2f}x")
    return [
        harness.Row(
            f"queued emails to local SMTP, {name.split(': ', 1)[1]}",
            f"{rate:.0f} emails/s",
            f">= {TARGET_PER_SECOND} emails/s",
            f"bare smtplib loop {top:.0f} emails/s (ceiling)",
            f"{rate / top:.2f}x",
            harness.verdict(rate >= TARGET_PER_SECOND),
        )
        for name, rate in results.items()
        if not name.startswith("ceiling")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500, help="Messages per way of sending.")
    args = parser.parse_args()
    harness.print_table(run(args.messages))


if __name__ == "__main__":
    main()
