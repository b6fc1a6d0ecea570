"""External systems draining the communication queue over HTTP, as an integrator following seed 003 does.

Each external system runs one drainer (its own process and keep-alive connection): `GET
communications/queue/get_latest` for a page of its PENDING entries, then `POST communications/queue/process`
for each entry of the page, until get_latest answers an empty page. The drainers name different external
systems, so they never ask for the same entries; the API has no batch form of process, so an entry costs
one request plus its share of a page. gunicorn on loopback, PostgreSQL, the token an API key.

Measured: entries per second over the whole drain, p50/p99 of each call; the peer is the same drain of a
smaller queue in the same run (the ratio shows whether a large queue slows the drain). Afterwards every
entry must be COMPLETED, and processed by exactly one successful call. Beside it, with the same server settings,
the framework floor's create (a `process` is a write) under wrk with one connection per drainer, before and
after the drains (bench/framework_floor.py).

    .venv/bin/python bench/queue_drain.py [--entries 100000] [--peer-entries 10000] [--drainers 4] [--page 100]
"""

import argparse
import http.client
import multiprocessing
import statistics
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
import harness

TARGET = 500  # entries per second
SYSTEM_NAME = "Bench drain {n}"
CONTACT_CODE = "BENCH-QUEUE"
CHUNK = 5000
LATEST = "/crmapi/rest/v2/communications/queue/get_latest"
PROCESS = "/crmapi/rest/v2/communications/queue/process"
RETRIES = 50


def reserve_numbers(series: str, count: int) -> int:
    """Take `count` numbers of a series at once (the counter moves past them, so none is ever reused);
    returns the first."""
    from django.db import transaction

    from accounts.models import NumberSequence

    with transaction.atomic():
        NumberSequence.objects.get_or_create(name=series)
        sequence = NumberSequence.objects.select_for_update().get(name=series)
        first = sequence.last_value + 1
        sequence.last_value += count
        sequence.save(update_fields=["last_value"])
    return first


def clear_queue() -> None:
    """Drop what an earlier drain left: the bench's queue entries and communications."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM communications_queueentry WHERE communication_id IN (SELECT c.id FROM"
            " communications_communication c JOIN accounts_contact k ON k.id = c.contact_id WHERE k.code LIKE %s)",
            [f"{CONTACT_CODE}%"],
        )
        cursor.execute(
            "DELETE FROM communications_communication WHERE contact_id IN"
            " (SELECT id FROM accounts_contact WHERE code LIKE %s)",
            [f"{CONTACT_CODE}%"],
        )


def load_queue(entries: int, drainers: int) -> list[str]:
    """`entries` PENDING queue entries of completed outgoing emails, spread evenly over one external system per
    drainer, bulk-inserted in chunks; returns the systems' names."""
    from datetime import timedelta

    from django.utils import timezone
    from tqdm import tqdm

    from accounts import services as accounts
    from accounts.models import Contact
    from communications.models import Communication, QueueEntry, QueueExternalSystem

    clear_queue()
    contacts = []
    for n in range(20):
        code = f"{CONTACT_CODE}-{n:02d}"
        contacts.append(
            Contact.objects.filter(code=code).first()
            or accounts.create_contact(
                is_test=False, code=code, first_name="Bench", last_name=f"Customer {n}", email=f"bench{n}@example.com"
            )
        )
    systems = [
        QueueExternalSystem.objects.get_or_create(
            name=SYSTEM_NAME.format(n=n), defaults={"alternative_code": f"BENCH{n}"}
        )[0]
        for n in range(drainers)
    ]
    first_communication = reserve_numbers("communication", entries)
    first_entry = reserve_numbers("communication_queue", entries)
    started = timezone.now() - timedelta(seconds=entries)
    with tqdm(total=entries, desc="queue entries", unit=" entries", file=sys.stderr) as progress:
        for offset in range(0, entries, CHUNK):
            communications, queue = [], []
            for n in range(offset, min(entries, offset + CHUNK)):
                contact, system = contacts[n % len(contacts)], systems[n % len(systems)]
                moment = started + timedelta(seconds=n)
                number = first_communication + n
                communication = Communication(
                    number=f"CM{number:06d}",
                    code=str(number),
                    contact=contact,
                    direction="OUTGOING",
                    media="EMAIL",
                    to_address=contact.email,
                    subject=f"Your statement {n}",
                    content=f"Dear {contact.first_name}, your statement {n} is ready.",
                    state="COMPLETED",
                    completed_on=moment,
                    queue_external_system=system,
                    created_on=moment,
                )
                communications.append(communication)
                queue.append(
                    QueueEntry(
                        number=str(first_entry + n),
                        communication=communication,
                        external_system=system,
                        created_on=moment,
                    )
                )
            Communication.objects.bulk_create(communications)
            QueueEntry.objects.bulk_create(queue)
            progress.update(len(queue))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communications_queueentry")
        cursor.execute("ANALYZE communications_communication")
    harness.checkpoint()
    return [system.name for system in systems]


def drain(base_url: str, token: str, system: str, page: int) -> dict:
    """One external system: pages of get_latest, each entry processed, until the queue is empty for it."""
    cpu = time.process_time()
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    query = urllib.parse.urlencode(
        {"token": token, "communication_queue_external_system_identifier": f"name={system}", "number": page}
    )
    latest_ms, process_ms, processed, refused, retried = [], [], [], [], []

    def call(method, path, body=None):
        """One request, answered; a 503 (the database out of reach) is tried again after a pause, as an
        integrator would. Only the answered attempt is timed."""
        for attempt in range(RETRIES):
            headers = {"Content-Type": "application/json"} if body else {}
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status != 503:
                return response.status, payload, (time.perf_counter() - started) * 1000, attempt > 0
            retried.append(path)
            time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"{path} answered 503 {RETRIES} times: {payload[:300]!r}")

    while True:
        status, payload, ms, _ = call("GET", f"{LATEST}?{query}")
        latest_ms.append(ms)
        if status != 200:
            raise RuntimeError(f"get_latest answered {status}: {payload[:300]!r}")
        entries = orjson.loads(payload)["data"]
        if not entries:
            break
        for entry in entries:
            body = orjson.dumps({"token": token, "communication_queue_identifier": {"id": entry["id"]}})
            status, payload, ms, again = call("POST", PROCESS, body)
            process_ms.append(ms)
            answer = orjson.loads(payload)
            if status == 200 and answer["data"]["life_cycle_state"] == "COMPLETED":
                processed.append(entry["id"])
            elif again and answer["status"]["code"] == "INVALID_STATE_TRANSITION":
                # A try whose answer was lost had processed it; the database count below still checks it.
                processed.append(entry["id"])
            else:
                refused.append(f"{status} {payload[:200]!r}")
    connection.close()
    return {
        "latest_ms": latest_ms,
        "process_ms": process_ms,
        "processed": processed,
        "refused": refused,
        "retried": len(retried),
        "cpu": time.process_time() - cpu,
    }


def server_processes(base_url: str) -> tuple[list[int], list[int]]:
    """gunicorn's processes (found by the address they serve) and the database backends serving this database."""
    from django.db import connection

    address = base_url.removeprefix("http://")
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and address in (entry / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(entry.name))
        except OSError:
            continue
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    return pids, backends


def measure(base_url: str, token: str, entries: int, drainers: int, page: int) -> dict:
    systems = load_queue(entries, drainers)
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(drainers) as pool:
        web, database = server_processes(base_url)
        before = harness.cpu_seconds(web + database)
        kind = dict.fromkeys(web, "web") | dict.fromkeys(database, "database")
        last = dict(before)
        started = time.perf_counter()
        pending = pool.starmap_async(drain, [(base_url, token, system, page) for system in systems])
        while True:
            # Sampled as it goes: the server replaces its database connections (CONN_MAX_AGE), and a backend
            # that has quit can no longer say how much CPU it used.
            pending.wait(0.5)
            done = pending.ready()
            if done:
                elapsed = time.perf_counter() - started
            web, database = server_processes(base_url)
            kind |= dict.fromkeys(web, "web") | dict.fromkeys(database, "database")
            last |= harness.cpu_seconds(web + database)
            if done:
                break
        results = pending.get()
    used = {"web": 0.0, "database": 0.0}
    for pid, seconds in last.items():
        used[kind[pid]] += seconds - before.get(pid, 0.0)
    processed = [entry_id for result in results for entry_id in result["processed"]]
    refused = [reason for result in results for reason in result["refused"]]
    latest = [ms for result in results for ms in result["latest_ms"]]
    process = [ms for result in results for ms in result["process_ms"]]
    return {
        "entries": entries,
        "rate": len(processed) / elapsed,
        "seconds": elapsed,
        "latest": latest,
        "process": process,
        "processed": processed,
        "refused": refused,
        "retried": sum(result["retried"] for result in results),
        "cpu_ms": {
            "web": used["web"] * 1000 / entries,
            "database": used["database"] * 1000 / entries,
            "client": sum(result["cpu"] for result in results) * 1000 / entries,
        },
    }


def empty_get_latest(base_url: str, token: str, connections: int) -> "harness.Load":
    """get_latest for an external system with nothing queued (the drain's last call): the key, the system, one
    index probe and the envelope. No one-request-per-entry drain on this server can beat its rate."""
    from communications.models import QueueExternalSystem

    QueueExternalSystem.objects.get_or_create(name="Bench drain empty", defaults={"alternative_code": "BENCHEMPTY"})
    query = urllib.parse.urlencode(
        {"token": token, "communication_queue_external_system_identifier": "name=Bench drain empty", "number": 100}
    )
    load = harness.wrk(f"{base_url}{LATEST}?{query}", connections=connections, seconds=10)
    if load.errors:
        raise SystemExit(f"get_latest of an empty queue failed {load.errors} times: {load.sample}")
    return load


def floor_loads(floor_url: str, note_id: int, connections: int) -> dict[str, "harness.Load"]:
    """The framework floor's create (what a `process` is matched with: a write) and retrieve (for the empty
    get_latest), under wrk with as many connections as there are drainers."""
    loads = {}
    for operation in (framework_floor.CREATE, framework_floor.RETRIEVE):
        address, scenario = framework_floor.target(floor_url, operation, note_id)
        loads[operation] = load = harness.wrk(address, scenario, connections=connections, seconds=10)
        if load.errors:
            raise SystemExit(f"the floor's {operation} failed {load.errors} times: {load.sample}")
    return loads


def verify(figures: dict) -> None:
    """Every entry COMPLETED by exactly one successful process call: counted in the database and by the clients."""
    from communications.models import QueueEntry

    states = Counter(
        QueueEntry.objects.filter(communication__contact__code__startswith=CONTACT_CODE).values_list("state", flat=True)
    )
    calls = Counter(figures["processed"])
    twice = [entry_id for entry_id, n in calls.items() if n > 1]
    problems = []
    if states != Counter({"COMPLETED": figures["entries"]}):
        problems.append(f"states in the database: {dict(states)}")
    if len(calls) != figures["entries"] or twice:
        problems.append(f"{len(calls)} entries processed, {len(twice)} of them more than once")
    if figures["refused"]:
        problems.append(f"{len(figures['refused'])} refused calls, e.g. {figures['refused'][:2]}")
    if problems:
        raise SystemExit(f"drain of {figures['entries']} entries: " + "; ".join(problems))


def quantiles(samples_ms: list[float]) -> str:
    seconds = [ms / 1000 for ms in samples_ms]
    return f"p50 {harness.median_ms(seconds):.1f} ms, p99 {harness.percentile_ms(seconds, 99):.1f} ms"


def cpu_per_entry(figures: dict) -> str:
    cpu = figures["cpu_ms"]
    return (
        f"CPU per entry {sum(cpu.values()):.1f} ms (gunicorn {cpu['web']:.1f}, PostgreSQL {cpu['database']:.1f},"
        f" drainers {cpu['client']:.1f})"
    )


def run(
    entries: int = 100_000,
    peer_entries: int = 10_000,
    drainers: int = 4,
    page: int = 100,
    workers: int = 4,
    worker_class: str = "sync",
    threads: int = 1,
):
    database_url = harness.bench_database_url()
    harness.ensure_database(database_url)
    harness.setup_django()
    from accounts import services as accounts

    token = accounts.create_api_key("bench queue drain", ["communications.read", "communications.write"])
    note_ids = framework_floor.prepare()
    results = {}
    # The server keeps its database connections for the run: on a PostgreSQL shared with other work, a
    # connection given back every minute (the default CONN_MAX_AGE) may find every slot taken. The framework
    # floor is served the same way, and measured before and after the drains.
    server = {"workers": workers, "worker_class": worker_class, "threads": threads, "DATABASE_CONN_MAX_AGE": 3600}
    with harness.gunicorn(**server) as url, framework_floor.server(**server) as floor_url:
        floor = [floor_loads(floor_url, note_ids[0], drainers)]
        empty = empty_get_latest(url, token, drainers)
        measure(url, token, min(1000, peer_entries), drainers, page)  # warm-up: every worker has run every path
        for size in (peer_entries, entries):
            print(f"\ndraining {size:,} entries with {drainers} drainers, pages of {page}", flush=True)
            figures = measure(url, token, size, drainers, page)
            verify(figures)
            results[size] = figures
            print(
                f"{figures['rate']:.0f} entries/s ({figures['seconds']:.1f} s), every entry COMPLETED once"
                f" ({figures['retried']} calls tried again after a 503);"
                f" get_latest {quantiles(figures['latest'])}; process {quantiles(figures['process'])};"
                f" {cpu_per_entry(figures)}",
                flush=True,
            )
        floor.append(floor_loads(floor_url, note_ids[0], drainers))
    clear_queue()
    floor_create, floor_retrieve = (
        statistics.mean(loads[operation].rps for loads in floor)
        for operation in (framework_floor.CREATE, framework_floor.RETRIEVE)
    )
    print(
        f"\nget_latest for a system with nothing queued (the key, the system, one index probe), {drainers}"
        f" connections: {empty.rps:.0f} requests/s, p50 {empty.p50_ms:.1f} ms, p99 {empty.p99_ms:.1f} ms;"
        f" {framework_floor.versus_rate(empty.rps, floor_retrieve, framework_floor.RETRIEVE)}"
    )
    print(
        "the framework floor, same server settings, before and after the drains: "
        + "; ".join(
            f"{operation} {', '.join(f'{loads[operation].rps:.0f}' for loads in floor)} req/s"
            for operation in (framework_floor.CREATE, framework_floor.RETRIEVE)
        )
    )
    big, peer = results[entries], results[peer_entries]
    return [
        harness.Row(
            f"queue drain over HTTP, {entries:,} entries (get_latest {page} + process each, {drainers} systems)",
            f"{big['rate']:.0f} entries/s; get_latest {quantiles(big['latest'])}; process {quantiles(big['process'])};"
            f" {cpu_per_entry(big)}",
            f">= {TARGET} entries/s",
            f"same drain of {peer_entries:,}: {peer['rate']:.0f} entries/s",
            f"{big['rate'] / peer['rate']:.2f}x",
            harness.verdict(big["rate"] >= TARGET),
            floor=f"{big['rate'] / floor_create:.2f}x its create (a process is a write), {floor_create:.0f} req/s"
            f" over {drainers} connections (mean of before and after the drains)",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000, help="Queue entries to drain.")
    parser.add_argument("--peer-entries", type=int, default=10_000, help="The smaller queue drained as the peer.")
    parser.add_argument("--drainers", type=int, default=4, help="External systems, one drainer process each.")
    parser.add_argument("--page", type=int, default=100, help="get_latest's number (1 to 1000).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class, ours and the floor's (sync).")
    parser.add_argument("--threads", type=int, default=1, help="Threads per gthread worker (1).")
    args = parser.parse_args()
    harness.print_table(
        run(args.entries, args.peer_entries, args.drainers, args.page, args.workers, args.worker_class, args.threads)
    )


if __name__ == "__main__":
    main()
