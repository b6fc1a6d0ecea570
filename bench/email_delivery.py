"""Emails per second from queued rows to a local SMTP server, against django-post_office and a bare smtplib loop.

All over the same aiosmtpd server (its own process, loopback, ephemeral port), the same message (subject,
body, sender, recipient) and the same number of messages, in one run:
  ceiling       a bare smtplib loop: one connection, the same message bytes N times;
  one process   `send_pending --inline`'s path: outbound.send_due batches over one kept-open connection;
  workers       the production path: a wake-up per row in Redis (as send_email leaves them), a `celery worker`
                with 2 processes draining batches; timed from the first claim to the last recorded outcome;
  post_office   django-post_office's `send_queued_mail` on its own bench database (bench/post_office_settings.py),
                with 1 process and with `--processes 2`, each against our figure with as many processes.

Each way runs --rounds times (default 3) in turn with the others; the best round of each counts.

    .venv/bin/python bench/email_delivery.py [--messages 2000] [--rounds 3] [--profile]
"""

import argparse
import contextlib
import email.policy
import os
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from functools import partial
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
SENDER, RECIPIENT = "bench@example.com", "customer@example.com"
BODY = "Dear customer,\n\n" + "Your statement for this month is ready in the customer portal.\n" * 20
TARGET_PER_SECOND = 1000
# CPU time of the one sending process per email (its threads included): what a busy machine disturbs least.
CPU_MS_PER_EMAIL: dict[str, list[float]] = {"ours, 1 process": [], "django-post_office, 1 process": []}
TARGET_RATIO = 3
PEER_SETTINGS = "post_office_settings"

# Runs in its own interpreter with bench/post_office_settings.py: queue N emails the way post_office does,
# then time its management command.
PEER = """
import sys, tempfile, time
import django
django.setup()
from django.core.management import call_command
from post_office import mail
from post_office.models import Email, Log
messages, processes = int(sys.argv[1]), int(sys.argv[2])
Log.objects.all().delete()
Email.objects.all().delete()
mail.send_many([
    {"sender": SENDER, "recipients": [RECIPIENT], "subject": f"Statement {n}", "message": BODY}
    for n in range(messages)
])
with tempfile.TemporaryDirectory() as directory:
    started, cpu = time.perf_counter(), time.process_time()
    call_command("send_queued_mail", processes=processes, lockfile=f"{directory}/send_queued_mail", log_level=2)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
sent = Email.objects.filter(status=0).count()
assert sent == messages, f"post_office sent {sent} of {messages}"
print(messages / seconds, cpu / messages * 1000)
"""


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
        self.cpu_ms: dict[str, list[float]] = {}
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()

    @contextlib.contextmanager
    def cpu(self, way: str, messages: int):
        """Record the server's CPU time per message while one way sends."""
        before = harness.cpu_seconds([self.process.pid])[self.process.pid]
        yield
        used = harness.cpu_seconds([self.process.pid])[self.process.pid] - before
        self.cpu_ms.setdefault(way, []).append(used / messages * 1000)

    def received(self) -> int:
        """Stop the server and return how many messages it accepted."""
        self.process.stdin.close()
        count = int(self.process.stdout.readline())
        self.process.wait(timeout=10)
        return count


def ceiling(port: int, messages: int) -> float:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, RECIPIENT, "Statement"
    message.set_content(BODY)
    raw = message.as_bytes(policy=email.policy.SMTP)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(messages):
            smtp.sendmail(SENDER, [RECIPIENT], raw)
    return messages / (time.perf_counter() - started)


def clear_outbox() -> None:
    """Drop what other benchmarks left unsent (communications/create queues emails no worker sends there):
    each way sends every due row, and would send those too."""
    from communications.models import OutboundMessage

    OutboundMessage.objects.exclude(status="SENT").delete()


def queue_rows(messages: int, batch: str) -> list:
    from django.core.mail import make_msgid

    from communications.models import OutboundMessage

    rows = [
        OutboundMessage(
            channel="EMAIL",
            recipients=[RECIPIENT],
            from_address=SENDER,
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


def one_process(ids: list, profile: bool = False) -> float:
    from communications import outbound

    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    started, cpu = time.perf_counter(), time.process_time()
    with outbound.MailerSession() as session:
        while outbound.send_due(session=session):
            pass
    rate = len(ids) / (time.perf_counter() - started)
    CPU_MS_PER_EMAIL["ours, 1 process"].append((time.process_time() - cpu) / len(ids) * 1000)
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(color=False, show_all=False))
    return rate


def workers(ids: list, batch: str, port: int) -> float:
    import redis
    from django.db.models import Max, Min

    from communications.models import OutboundMessage
    from communications.outbound.wake_ups import wake_a_worker

    for message_id in ids:  # as send_email does for each, before any worker runs
        wake_a_worker(message_id, "EMAIL")
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_BACKEND": SMTP_BACKEND}
    with harness.celery_worker(queues="email", concurrency=2, **env):
        deadline = time.monotonic() + 300
        rows = OutboundMessage.objects.filter(source_id=batch)
        while rows.exclude(status="SENT").exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"{rows.exclude(status='SENT').count()} messages still not sent after 300 s")
            time.sleep(0.05)
        # What is left in the queue are wake-ups for rows other wake-ups took: each costs a claim that finds nothing.
        left, started = broker.llen("email"), time.perf_counter()
        while broker.llen("email") and time.monotonic() < deadline:
            time.sleep(0.05)
        if left > 100:
            print(f"  {left} wake-ups for rows already taken: {left / (time.perf_counter() - started):.0f} a second")
    span = rows.aggregate(first=Min("claimed_on"), last=Max("sent_on"))
    return len(ids) / (span["last"] - span["first"]).total_seconds()


def peer_database_url() -> str:
    return harness.bench_database_url() + "_post_office"


def peer_env(port: int) -> dict:
    return harness.bench_env(
        DATABASE_URL=peer_database_url(),
        DJANGO_SETTINGS_MODULE=PEER_SETTINGS,
        PYTHONPATH=f"{harness.ROOT}{os.pathsep}{harness.ROOT / 'bench'}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_BACKEND=SMTP_BACKEND,
    )


def prepare_peer_database() -> None:
    import psycopg

    url = peer_database_url()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(harness.admin_url(url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = peer_env(0)
    subprocess.run([harness.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=harness.ROOT, env=env, check=True)


def post_office(port: int, messages: int, processes: int) -> float:
    script = f"SENDER, RECIPIENT, BODY = {SENDER!r}, {RECIPIENT!r}, {BODY!r}\n" + PEER
    result = subprocess.run(
        [harness.PYTHON, "-c", script, str(messages), str(processes)],
        cwd=harness.ROOT,
        env=peer_env(port),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"post_office's run failed:\n{result.stderr[-3000:]}")
    rate, cpu_ms = (float(figure) for figure in result.stdout.strip().splitlines()[-1].split())
    if processes == 1:
        CPU_MS_PER_EMAIL["django-post_office, 1 process"].append(cpu_ms)
    return rate


def run(messages: int = 2000, rounds: int = 3, profile: bool = False) -> list[harness.Row]:
    """Every way over one SMTP server, `rounds` times in turn; the best round of each way counts (the one
    least disturbed by whatever else the machine runs). Prints the detail, returns the table rows."""
    harness.ensure_database(harness.bench_database_url())
    prepare_peer_database()
    ways = {
        "ceiling: bare smtplib loop, 1 connection": [],
        "ours, 1 process (send_pending --inline)": [],
        "django-post_office send_queued_mail, 1 process": [],
        "ours, Redis + celery worker (2 processes)": [],
        "django-post_office send_queued_mail --processes 2": [],
    }
    top, ours_1, peer_1, ours_2, peer_2 = ways.values()

    with SmtpServer() as server:
        harness.setup_django(EMAIL_HOST="127.0.0.1", EMAIL_PORT=server.port, EMAIL_BACKEND=SMTP_BACKEND)
        import redis

        redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).delete("email")
        clear_outbox()
        names = list(ways)

        def send(name: str, way) -> None:
            with server.cpu(name, messages):
                ways[name].append(way())

        for round_number in range(rounds):
            stamp = f"{int(time.time())}-{round_number}"
            send(names[0], partial(ceiling, server.port, messages))
            # Each way's rows are queued just before it runs: every way sends all that is due.
            inline = queue_rows(messages, f"inline-{stamp}")
            send(names[1], partial(one_process, inline, profile and not round_number))
            send(names[2], partial(post_office, server.port, messages, processes=1))
            queued = queue_rows(messages, f"workers-{stamp}")
            send(names[3], partial(workers, queued, f"workers-{stamp}", server.port))
            send(names[4], partial(post_office, server.port, messages, processes=2))
        accepted = server.received()

    expected = len(ways) * messages * rounds
    if accepted != expected:
        raise SystemExit(f"The SMTP server accepted {accepted} messages, expected {expected}.")
    print(f"\n{messages} messages per way and round, {rounds} rounds, {accepted} accepted by the SMTP server in all")
    print(f"{'way':58} {'best':>7} {'rounds (emails/s)':>30}")
    for name, rates in ways.items():
        print(f"{name:58} {max(rates):7.0f} {' '.join(f'{rate:7.0f}' for rate in rates):>30}")
    print("CPU of the sending process per email (least of the rounds):")
    for name, figures in CPU_MS_PER_EMAIL.items():
        print(f"  {name:56} {min(figures):7.2f} ms")
    print("CPU of the SMTP server per email (least of the rounds):")
    for name in ways:
        print(f"  {name:56} {min(server.cpu_ms[name]):7.2f} ms")

    def row(way: str, ours: list[float], peer: list[float], processes: str) -> harness.Row:
        ours, peer = max(ours), max(peer)
        return harness.Row(
            f"queued emails to local SMTP, {way}",
            f"{ours:.0f} emails/s",
            f">= {TARGET_PER_SECOND} emails/s and >= {TARGET_RATIO}x post_office",
            f"django-post_office send_queued_mail, {processes}: {peer:.0f} emails/s",
            f"{ours / peer:.1f}x",
            harness.verdict(ours >= TARGET_PER_SECOND and ours >= TARGET_RATIO * peer),
        )

    ours_cpu, peer_cpu = (min(figures) for figures in CPU_MS_PER_EMAIL.values())
    return [
        row("1 process (send_pending --inline)", ours_1, peer_1, "1 process"),
        harness.Row(
            "queued emails to local SMTP, CPU of the sending process per email",
            f"{ours_cpu:.2f} ms (SMTP server {min(server.cpu_ms[names[1]]):.2f} ms)",
            "",
            f"django-post_office, 1 process: {peer_cpu:.2f} ms",
            f"{peer_cpu / ours_cpu:.1f}x less",
        ),
        row("celery worker, 2 processes", ours_2, peer_2, "--processes 2"),
        harness.Row(
            "queued emails to local SMTP, ceiling: bare smtplib loop, 1 connection, no database",
            f"{max(top):.0f} emails/s",
            "",
            "",
            f"ours {max(max(ours_1), max(ours_2)) / max(top):.2f}x of it",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="Messages per way of sending and round.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of every way; the best round counts.")
    parser.add_argument("--profile", action="store_true", help="Profile the first one-process round (pyinstrument).")
    args = parser.parse_args()
    harness.print_table(run(args.messages, args.rounds, args.profile))


if __name__ == "__main__":
    main()
