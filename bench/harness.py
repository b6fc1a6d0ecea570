"""What every benchmark needs: a real server on loopback, a bench database, timing statistics, result rows.

Benchmarks run against PostgreSQL and Redis like production; each starts from `BENCH_DATABASE_URL`
(default: a `corr_bench` database on the local PostgreSQL) so the development data is never touched.
"""

import os
import socket
import statistics
import subprocess
import sys
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


def bench_env(**extra) -> dict:
    env = dict(os.environ)
    # The bench's own database and broker, never whatever DATABASE_URL the calling shell exports.
    env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER_URL)
    env["REDIS_URL"] = env["CELERY_BROKER_URL"]
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


def ensure_database(database_url: str) -> None:
    """Create the bench database if missing and migrate it."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=bench_env(DATABASE_URL=database_url),
        check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 4, threads: int = 1, **env):
    """A gunicorn server on a free loopback port; yields its base URL."""
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi",
        "-c",
        "config/gunicorn.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "/dev/null",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=bench_env(**env), stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/healthz")
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


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} s")
        time.sleep(0.2)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def percentile_ms(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


COLUMNS = ("benchmark", "figure", "target", "peer", "ratio", "verdict")


def markdown_table(rows: list[Row]) -> str:
    """The results as a Markdown table: readable in a terminal and rendered in bench/results.md."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = (getattr(row, column).replace("|", "\\|") for column in COLUMNS)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_table(rows: list[Row]) -> None:
    print()
    print(markdown_table(rows))
