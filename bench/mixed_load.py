"""200 concurrent clients for 60 s across the five API families: zero errors, p50/p99 per family and overall.

gunicorn on loopback (PostgreSQL, Redis as the broker) serves a mix of what the five families' integrators
send, driven by wrk with one connection per wrk thread so the Lua scenario can time and check each request
by kind: back-office v2 (contact accounts, an account, contact search, filtered activities, creating an
activity), CRM.COM communications (list, show, create a phone note, create an email queued for sending),
letters (a customer's letters, one letter, creating a letter), Altinn-style correspondence (overview,
details) and postal JSON-RPC (get_letter_status for ten refs). Any answer outside 2xx, socket error or
timeout is a failure. Afterwards the writes are counted in the database (every acknowledged write is
there, nothing beyond what was sent) and checked for half-written records.

The peer, in the same run and on the same server: GET /healthz with the same number of connections. Then the
framework floor (bench/framework_floor.py) on a server of the same settings under the same clients, its DRF
retrieves and creates in the proportion of the mix's reads and writes: each row says how far from it it is.

This module measures and reports; the data and the mix are in bench/mixed_load_data.py, the Lua scenario and
the reading of what it printed in bench/mixed_load_scenario.py, the checks of what the writes left in
bench/mixed_load_checks.py.

    .venv/bin/python bench/mixed_load.py                     # 200 connections, 60 s
    .venv/bin/python bench/mixed_load.py --seconds 10 --connections 50
    .venv/bin/python bench/mixed_load.py --worker-class sync --workers 4 --threads 1
    .venv/bin/python bench/mixed_load.py --seconds 20 --compare sync:4:1,gthread:4:8   # in turns, side by side
"""

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
import harness
from mixed_load_checks import half_written, written
from mixed_load_data import altinn_dispatch, api_keys, load_customers, load_postal_letters, mix
from mixed_load_scenario import WRITE_MARK, Kind, KindResult, kind_results, percentiles, scenario

# The server as config/gunicorn.py runs it by default: gthread keeps the 200 connections open (sync workers close
# each after one answer); one worker per core, 16 threads each, 32 database connections on 2 cores.
WORKER_CLASS, WORKERS, THREADS = "gthread", os.cpu_count() or 2, 16


def drop_wake_ups() -> None:
    """No worker runs during the load: drop the tasks the writes queued (the rows stay, for the sweeps)."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*settings.CELERY_QUEUE_NAMES)


class ServerWatch:
    """During the load: the most database connections the server held, and the CPU time its gunicorn processes
    and their PostgreSQL backends used (sampled twice a second from pg_stat_activity and /proc)."""

    def __init__(self, database_url: str, base_url: str):
        self.database_url = database_url
        port = base_url.rsplit(":", 1)[1]
        self.web_pids = [
            int(entry.name)
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit()
            and f"127.0.0.1:{port}" in self._cmdline(entry)
            and "gunicorn" in self._cmdline(entry)
        ]
        self.peak = 0
        self.window = (0.0, 0.0)
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    @staticmethod
    def _cmdline(entry: Path) -> str:
        try:
            return (entry / "cmdline").read_text().replace("\0", " ")
        except OSError:
            return ""

    def sample(self, backends: list[int]) -> None:
        for kind, pids in (("web", self.web_pids), ("database", backends)):
            for pid, used in harness.cpu_seconds(pids).items():
                self.first.setdefault((kind, pid), used)
                self.last[(kind, pid)] = used

    def watch(self):
        import psycopg

        name = self.database_url.rsplit("/", 1)[1]
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while True:
                backends = [pid for (pid,) in conn.execute(query, [name]).fetchall()]
                self.peak = max(self.peak, len(backends))
                self.sample(backends)
                self.window = (self.window[0] or time.monotonic(), time.monotonic())
                if self.stop.wait(0.5):
                    break

    def cpu(self, kind: str) -> float:
        return sum(self.last[key] - self.first[key] for key in self.last if key[0] == kind)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


# The run ---------------------------------------------------------------------------------------------------


SERVER_ENV = {
    "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "corr-bench-media"),
    # Pollers here ask the same refs many times an hour, which the allowance (3) rightly refuses with 429.
    "POSTAL_POLL_ALLOWANCE": 1_000_000_000,
}


def prepare() -> tuple[dict[str, str], list[str]]:
    """The bench database with the load's data; this run's API keys and the Altinn sender's correspondence ids."""
    from django.core.management import call_command

    harness.ensure_database(harness.bench_database_url())
    harness.setup_django(ready_timeout=180, **SERVER_ENV)
    call_command("seed_demo", stdout=io.StringIO())
    load_customers()
    load_postal_letters()
    keys = api_keys()
    altinn_ids = altinn_dispatch(keys["altinn"])
    return keys, altinn_ids


def close_database_connections() -> None:
    """Only the server's connections count in ServerWatch."""
    from django.db import connections

    connections.close_all()


@dataclass
class Measured:
    kinds: list[Kind]
    results: list[KindResult]
    window: float  # seconds from the first request to the last answer
    load: harness.Load
    watch: ServerWatch
    problems: list[str]

    @property
    def answers(self) -> int:
        return sum(r.answered + r.failed for r in self.results)

    @property
    def rps(self) -> float:
        return self.answers / self.window

    @property
    def latencies_us(self) -> list[int]:
        return [us for r in self.results for us in r.latencies_us]

    def cpu_line(self) -> str:
        web, database = self.watch.cpu("web"), self.watch.cpu("database")
        watched = self.watch.window[1] - self.watch.window[0]
        return (
            f"CPU per request: gunicorn {web * 1000 / self.answers:.1f} ms, PostgreSQL "
            f"{database * 1000 / self.answers:.1f} ms; together {(web + database) / watched:.2f} of the "
            f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f}); at most {self.watch.peak} "
            "database connections"
        )


def measure(url: str, kinds: list[Kind], tag: str, seconds: int, connections: int) -> Measured:
    """One load of `kinds` on the server at `url`, then its writes checked in the database."""
    database_url = harness.bench_database_url()
    with ServerWatch(database_url, url) as watch:
        load = harness.wrk(url, scenario(kinds), connections=connections, seconds=seconds, threads=connections)
    # Requests wrk left in flight are still being served; what follows starts once they are done.
    harness.wait_for(f"{url}/healthz", timeout=120)
    results, window = kind_results(load.output, len(kinds))
    problems = half_written(tag)
    landed = written(tag)
    for kind, result in zip(kinds, results, strict=True):
        if kind.write:
            rows = landed[kind.name]
            # Acknowledged writes must all be there; beyond them only requests cut off in flight at the end.
            if not result.answered <= rows <= result.answered + result.in_flight + result.lost:
                problems.append(f"{kind.name}: {rows} rows for {result.answered} acknowledged writes")
    return Measured(kinds, results, window, load, watch, problems)


def floor_mix(kinds: list[Kind], note_ids: list[int], tag: str) -> list[Kind]:
    """The framework floor's retrieves and creates in the proportion of the mix's reads and writes."""
    reads, writes = (sum(kind.weight for kind in kinds if kind.write is write) for write in (False, True))
    return [
        Kind(
            "framework floor",
            "GET notes/{id} (DRF retrieve)",
            reads,
            "GET",
            "/notes/@1@",
            {"Accept": "application/json"},
            values=[(str(note_id),) for note_id in note_ids],
        ),
        Kind(
            "framework floor",
            "POST notes/ (DRF create)",
            writes,
            "POST",
            "/notes/",
            {"Content-Type": "application/json", "Accept": "application/json"},
            framework_floor.create_body(f"{tag}-{WRITE_MARK}"),
            write=True,
        ),
    ]


@dataclass
class FloorMeasured:
    kinds: list[Kind]
    results: list[KindResult]
    window: float
    load: harness.Load

    @property
    def rps(self) -> float:
        return sum(r.answered + r.failed for r in self.results) / self.window

    @property
    def errors(self) -> int:
        return self.load.errors  # answers outside 2xx and socket errors, as wrk counted them

    def row(self, connections: int, seconds: int) -> harness.Row:
        p50, p99 = percentiles([us for r in self.results for us in r.latencies_us])
        failure = next((r.failure for r in self.results if r.failure), "") or self.load.sample
        retrieves, creates = (kind.weight for kind in self.kinds)
        return harness.Row(
            f"mixed load's peer: the framework floor, {connections} clients x {seconds} s, {retrieves} DRF retrieves"
            f" + {creates} DRF creates per 20",
            f"{self.rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {self.errors} errors",
            "0 errors",
            "",
            "",
            harness.verdict(self.errors == 0) + (f": {failure[:160]}" if failure else ""),
        )


def measure_floor(
    kinds: list[Kind], seconds: int, connections: int, worker_class: str, workers: int, threads: int
) -> FloorMeasured:
    """The floor's mix with the same clients, on a server of the same settings (started once ours has stopped:
    two such servers' database connections together may not fit)."""
    note_ids = framework_floor.prepare()
    stamp = int(time.time())
    floor_kinds, warm_kinds = floor_mix(kinds, note_ids, f"L{stamp}"), floor_mix(kinds, note_ids, f"W{stamp}")
    server = {"workers": workers, "threads": threads, "worker_class": worker_class, "ready_timeout": 180}
    with framework_floor.server(**server, **SERVER_ENV) as url:
        harness.wrk(url, scenario(warm_kinds), connections=20, seconds=3, threads=20)
        load = harness.wrk(url, scenario(floor_kinds), connections=connections, seconds=seconds, threads=connections)
    results, window = kind_results(load.output, len(floor_kinds))
    return FloorMeasured(floor_kinds, results, window, load)


def run(
    seconds: int = 60,
    connections: int = 200,
    worker_class: str = WORKER_CLASS,
    workers: int = WORKERS,
    threads: int = THREADS,
) -> list[harness.Row]:
    keys, altinn_ids = prepare()
    stamp = int(time.time())
    tag, warm_tag = f"L{stamp}", f"W{stamp}"
    kinds, warm_kinds = mix(keys, altinn_ids, tag), mix(keys, altinn_ids, warm_tag)
    close_database_connections()

    print(f"server: gunicorn {worker_class}, {workers} workers x {threads} threads; {connections} connections")
    with harness.gunicorn(
        workers=workers, threads=threads, worker_class=worker_class, ready_timeout=180, **SERVER_ENV
    ) as url:
        warm = harness.wrk(url, scenario(warm_kinds), connections=20, seconds=3, threads=20)
        measured = measure(url, kinds, tag, seconds, connections)
        peer = harness.wrk(url + "/healthz", connections=connections, seconds=max(10, seconds // 4), threads=8)
    drop_wake_ups()
    problems = half_written(warm_tag) + measured.problems
    floor = measure_floor(kinds, seconds, connections, worker_class, workers, threads)

    print(
        f"\n{measured.answers} answers in {measured.window:.1f} s (wrk's run: {measured.load.seconds:.1f} s), "
        f"{measured.rps:.0f} req/s"
    )
    print(measured.cpu_line())
    print(f"{'family':24} {'request':44} {'answered':>8} {'failed':>6} {'lost':>5} {'p50 ms':>7} {'p99 ms':>7}")
    for kind, result in zip(measured.kinds, measured.results, strict=True):
        p50, p99 = percentiles(result.latencies_us)
        counts = f"{result.answered:8} {result.failed:6} {result.lost:5}"
        print(f"{kind.family:24} {kind.name:44} {counts} {p50:7.1f} {p99:7.1f}")
        if result.failure:
            print(f"    first failure: {result.failure}")
    print("writes landed: " + ", ".join(f"{name} {count}" for name, count in written(tag).items()))
    print(f"warm-up: {warm.requests} requests, {warm.errors} errors; peer GET /healthz {peer.rps:.0f} req/s")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"the framework floor, the same clients and server settings: {floor.rps:.0f} req/s, {floor.errors} errors")
    floor_p50 = percentiles([us for r in floor.results for us in r.latencies_us])[0]

    def versus_floor_p50(p50: float) -> str:
        # With every client always waiting, the rate is the clients over the time an answer takes (Little's law).
        return f"{floor_p50 / p50:.2f}x its mix by p50, {floor_p50:.0f} ms"

    rows = []
    for family in dict.fromkeys(kind.family for kind in measured.kinds):
        mine = [r for kind, r in zip(measured.kinds, measured.results, strict=True) if kind.family == family]
        count = sum(r.answered + r.failed for r in mine)
        p50, p99 = percentiles([us for r in mine for us in r.latencies_us])
        errors = sum(r.failed + r.lost for r in mine)
        failure = next((r.failure for r in mine if r.failure), "")
        rows.append(
            harness.Row(
                f"mixed load: {family}",
                f"{count} requests, {count / measured.window:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
                f"{errors} errors",
                "0 errors",
                "",
                "",
                harness.verdict(errors == 0) + (f": {failure[:160]}" if failure else ""),
                floor=versus_floor_p50(p50),
            )
        )
    # wrk's count also holds socket errors that belong to no request (a refused connect).
    errors = measured.load.errors + warm.errors
    p50, p99 = percentiles(measured.latencies_us)
    first_failure = next((r.failure for r in measured.results if r.failure), "") or measured.load.sample or warm.sample
    why = (first_failure or f"{errors} socket errors")[:160] if errors else "; ".join(problems)[:160]
    rows.append(
        harness.Row(
            f"mixed load, {connections} clients x {seconds} s, all five families",
            f"{measured.answers} requests, {measured.rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"{errors} errors",
            "0 errors, p50/p99 reported",
            f"GET /healthz, {connections} connections: {peer.rps:.0f} req/s, p99 {peer.p99_ms:.1f} ms",
            f"{measured.rps / peer.rps:.2f}x" if peer.requests else "",
            harness.verdict(errors == 0 and not problems) + (f": {why}" if why else ""),
            floor=framework_floor.versus_rate(measured.rps, floor.rps, f"mix with {connections} clients"),
        )
    )
    return [*rows, floor.row(connections, seconds)]


def compare(servers: list[tuple[str, int, int]], seconds: int, connections: int, rounds: int) -> None:
    """Several server configurations side by side, loaded in turns of `seconds` so each meets the same neighbours
    on the machine; totals per configuration and the ratio to the first. One server runs at a time: idle servers
    would keep their database connections, and together exhaust PostgreSQL's."""
    keys, altinn_ids = prepare()
    stamp = int(time.time())
    runs: dict[tuple[str, int, int], list[Measured]] = {server: [] for server in servers}
    for turn in range(rounds):
        for number, server in enumerate(servers):
            worker_class, workers, threads = server
            tag = f"C{stamp}x{turn}x{number}"
            kinds, warm = mix(keys, altinn_ids, tag), mix(keys, altinn_ids, f"W{stamp}")
            close_database_connections()
            with harness.gunicorn(workers, threads, worker_class, ready_timeout=180, **SERVER_ENV) as url:
                harness.wrk(url, scenario(warm), connections=20, seconds=3, threads=20)
                runs[server].append(measure(url, kinds, tag, seconds, connections))
            print(f"round {turn + 1}, {worker_class} {workers}x{threads}: {runs[server][-1].rps:.0f} req/s", flush=True)
    drop_wake_ups()

    print(f"\n{connections} clients, {rounds} turns of {seconds} s per server, in alternation")
    print(f"{'server':24} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'ms CPU/request':>16} {'ratio':>6}")
    first = None
    for (worker_class, workers, threads), measured in runs.items():
        answers = sum(m.answers for m in measured)
        rps = answers / sum(m.window for m in measured)
        p50, p99 = percentiles([us for m in measured for us in m.latencies_us])
        errors = sum(m.load.errors for m in measured) + sum(len(m.problems) for m in measured)
        cpu = sum(m.watch.cpu("web") + m.watch.cpu("database") for m in measured) * 1000 / answers
        first = first or rps
        name = f"{worker_class} {workers}x{threads}"
        print(f"{name:24} {rps:7.0f} {p50:8.0f} {p99:8.0f} {errors:6} {cpu:16.1f} {rps / first:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="How long the load lasts (60).")
    parser.add_argument("--connections", type=int, default=200, help="Concurrent client connections (200).")
    parser.add_argument("--worker-class", default=WORKER_CLASS, help=f"gunicorn worker class ({WORKER_CLASS}).")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers ({WORKERS}).")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"Threads per gunicorn worker ({THREADS}).")
    parser.add_argument(
        "--compare",
        default="",
        help="Servers to compare instead, e.g. sync:4:1,gthread:4:8 (class:workers:threads), loaded in turns.",
    )
    parser.add_argument("--rounds", type=int, default=3, help="Turns per server with --compare (3).")
    args = parser.parse_args()
    if args.compare:
        servers = [
            (name, int(workers), int(threads))
            for name, workers, threads in (item.split(":") for item in args.compare.split(","))
        ]
        compare(servers, args.seconds, args.connections, args.rounds)
        return
    harness.print_table(run(args.seconds, args.connections, args.worker_class, args.workers, args.threads))


if __name__ == "__main__":
    main()
