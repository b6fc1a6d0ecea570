"""What every benchmark needs: a real server on loopback, a bench database, timing statistics, result rows.

Benchmarks run against PostgreSQL and Redis like production; each starts from `BENCH_DATABASE_URL`
(default: a `corr_bench` database on the local PostgreSQL) so the development data is never touched.
"""

import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/corr_bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/11"


@dataclass
class Row:
    """One line of the results table."""

    benchmark: str
    figure: str
    target: str = ""
    peer: str = ""
    ratio: str = ""
    verdict: str = ""
    floor: str = ""  # an HTTP row against the framework floor's matching operation (bench/framework_floor.py)


# The servers a benchmark starts serve plain HTTP on loopback with a key of this run (`make bench` passes its own).
RUN_SECRET_KEY = secrets.token_urlsafe(50)
# API keys are counted in Redis as in production, against a limit no benchmark reaches: the cost is measured,
# not refusals (communications_create.py measures that cost against a server without the limit).
UNREACHED_REQUESTS_PER_MINUTE = 10**9


def bench_env(**extra) -> dict:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", RUN_SECRET_KEY)
    env.setdefault("HTTPS_ONLY", "false")
    env.setdefault("API_KEY_REQUESTS_PER_MINUTE", str(UNREACHED_REQUESTS_PER_MINUTE))
    # The bench's own database and broker, never whatever DATABASE_URL the calling shell exports.
    env["DATABASE_URL"] = bench_database_url()
    env["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER_URL)
    env["REDIS_URL"] = env["RATE_LIMIT_REDIS_URL"] = env["CELERY_BROKER_URL"]
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["LOG_LEVEL"] = "WARNING"
    env.update({k: str(v) for k, v in extra.items()})
    return env


def setup_django(**extra) -> None:
    """Configure this process like the server (same database), for loading data directly."""
    os.environ.update(bench_env(**extra))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_database_url() -> str:
    """The bench's own database (BENCH_DATABASE_URL), never the development one."""
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def admin_url(database_url: str) -> str:
    """The same server's `postgres` database: for creating databases and for server-wide commands."""
    return database_url.rsplit("/", 1)[0] + "/postgres"


def ensure_database(database_url: str, directory: Path = ROOT, **env) -> None:
    """Create the bench database if missing and migrate it (with the manage.py in `directory`: the product's, or
    the framework floor's with its settings in `env`)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=directory,
        env=bench_env(DATABASE_URL=database_url, **env),
        check=True,
    )
    checkpoint(database_url)


def checkpoint(database_url: str | None = None) -> None:
    """CHECKPOINT: what was written before (a migration, a load, the test suite) goes to disk now, not over the next
    minutes of measurement, which a checkpoint spreads its writes across (checkpoint_completion_target)."""
    import psycopg

    with psycopg.connect(admin_url(database_url or bench_database_url()), autocommit=True) as conn:
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            print("(no CHECKPOINT: the bench's database user may not ask for one)", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    workers: int = 4,
    threads: int = 1,
    worker_class: str = "sync",
    ready_timeout: float = 30.0,
    app: str = "config.wsgi",
    directory: Path = ROOT,
    **env,
):
    """A gunicorn server on a free loopback port; yields its base URL. Sync workers unless told otherwise
    (config/gunicorn.py defaults to gthread, for clients that keep their connections open). Every server, the
    framework floor's too (`app` and `directory`), runs with config/gunicorn.py."""
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        app,
        "-c",
        str(ROOT / "config" / "gunicorn.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        worker_class,
        "--access-logfile",
        "/dev/null",
    ]
    process = subprocess.Popen(command, cwd=directory, env=bench_env(**env), stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/healthz", timeout=ready_timeout, process=process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def celery_worker(queues: str = "default,email,sms,pdf,postal", concurrency: int = 2, **env):
    command = [PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", queues, "-c", str(concurrency), "-l", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=bench_env(**env), stdout=subprocess.DEVNULL)
    try:
        time.sleep(3)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=60)


def wait_for(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} s")
        time.sleep(0.2)


@dataclass
class Load:
    """What wrk measured: throughput, latency percentiles and every kind of failure."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    failed: int  # answers outside 2xx
    socket_errors: int  # connect, read, write and timeout errors
    sample: str = ""  # the first failed answer, for the message
    output: str = ""  # all wrk printed, for scenarios that report more (scenario_done in bench/wrk/report.lua)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.failed + self.socket_errors


WRK_REPORT = ROOT / "bench" / "wrk" / "report.lua"


def wrk(url: str, scenario: str = "", *, connections: int = 16, seconds: float = 10, threads: int = 2) -> Load:
    """Drive `url` with wrk (C, so the client costs little of the 2 cores); `scenario` is Lua defining
    `request()` (and optionally `init()`), to which bench/wrk/report.lua adds counting and the summary."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(scenario + "\n" + WRK_REPORT.read_text())
    try:
        command = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections)]
        command += ["-d", f"{max(1, round(seconds))}s", "--timeout", "30s", "-s", script.name, url]
        finished = subprocess.run(command, capture_output=True, text=True)
        if finished.returncode:
            raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
        output = finished.stdout
    finally:
        os.unlink(script.name)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("WRK_")}
    if "WRK_SUMMARY" not in lines:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    requests, duration_us, p50, p99, most, failed, *socket_errors = (int(n) for n in lines["WRK_SUMMARY"].split())
    return Load(
        requests=requests,
        seconds=duration_us / 1e6,
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
        max_ms=most / 1000,
        failed=failed,
        socket_errors=sum(socket_errors) - socket_errors[3],  # wrk's "status" count is the non-2xx/3xx we count
        sample=lines.get("WRK_SAMPLE", ""),
        output=output,
    )


def alternate(targets: dict[str, tuple[str, str]], *, rounds: int, seconds: float, connections: int) -> dict:
    """Each target (URL, wrk scenario) loaded in turn, `rounds` times, after a warm-up of every one: load from
    elsewhere on the machine falls on all of them alike. Returns each target's loads, one per round; a failed
    answer or socket error stops the benchmark with its first answer."""
    for url, scenario in targets.values():
        wrk(url, scenario, connections=connections, seconds=2)  # every worker warm, every connection made
    loads: dict[str, list[Load]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (url, scenario) in targets.items():
            load = wrk(url, scenario, connections=connections, seconds=seconds)
            if load.errors:
                raise SystemExit(
                    f"{name}: {load.failed} failed answers, {load.socket_errors} socket errors: {load.sample}"
                )
            loads[name].append(load)
    return loads


def median_rps(loads: list[Load]) -> float:
    return statistics.median(load.rps for load in loads)


def median_load(loads: list[Load]) -> str:
    """Rounds of one target in words: the medians of their rates and of their percentiles."""
    rps = median_rps(loads)
    p50 = statistics.median(load.p50_ms for load in loads)
    p99 = statistics.median(load.p99_ms for load in loads)
    return f"{rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms"


def cpu_seconds(pids) -> dict[int, float]:
    """CPU time (user + system) each process has used so far; processes that are gone are left out."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def percentile_ms(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


COLUMNS = ("benchmark", "figure", "target", "peer", "ratio", "floor", "verdict")
HEADINGS = {"floor": "vs the framework floor"}


def markdown_table(rows: list[Row]) -> str:
    """The results as a Markdown table: readable in a terminal and rendered in bench/results.md."""
    headings = (HEADINGS.get(column, column) for column in COLUMNS)
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = (getattr(row, column).replace("|", "\\|") for column in COLUMNS)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_table(rows: list[Row]) -> None:
    print()
    print(markdown_table(rows))
