"""`make bench`: every benchmark in turn, one table, written to bench/results.md.

Each benchmark runs in a fresh interpreter (its own Django settings: SMTP port, database) through its
`run() -> list[Row]`; one that fails becomes a FAILED row instead of stopping the others.

    .venv/bin/python bench/run.py [--only email_delivery,letters_pdf] [--no-write]
"""

import argparse
import concurrent.futures
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

# In the order of the table; each name is a module under bench/ with a `run()`.
BENCHMARKS = (
    "communications_create",
    "email_delivery",
    "queue_drain",
    "letters_pdf",
    "activities_list",
    "letters_read",
    "letter_status",
    "initialize",
    "insights_results",
    "mixed_load",
)
RESULTS = harness.ROOT / "bench" / "results.md"


def ensure_services() -> None:
    """PostgreSQL and Redis answering where the benchmarks look for them; started from the distribution if not."""
    import psycopg
    import redis

    database_url = harness.bench_database_url()
    admin_url = harness.admin_url(database_url)
    broker_url = os.environ.get("BENCH_BROKER_URL", harness.DEFAULT_BROKER_URL)

    def postgres_up() -> bool:
        try:
            psycopg.connect(admin_url, connect_timeout=3).close()
            return True
        except psycopg.OperationalError:
            return False

    def redis_up() -> bool:
        try:
            return redis.Redis.from_url(broker_url, socket_connect_timeout=3).ping()
        except redis.ConnectionError:
            return False

    if not postgres_up() and shutil.which("pg_ctlcluster"):
        for cluster in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.splitlines():
            version, name, *_ = cluster.split()
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=False)
    if not redis_up() and shutil.which("redis-server"):
        subprocess.run(["redis-server", "--daemonize", "yes"], check=False)
        time.sleep(1)
    if not postgres_up():
        raise SystemExit(f"PostgreSQL does not answer at {admin_url}; start it or set BENCH_DATABASE_URL.")
    if not redis_up():
        raise SystemExit(f"Redis does not answer at {broker_url}; start it or set BENCH_BROKER_URL.")


def call_run(name: str) -> list[harness.Row]:
    return import_module(name).run()


def run_one(name: str) -> list[harness.Row]:
    print(f"\n=== {name} ===", flush=True)
    harness.checkpoint()  # what ran before is on disk, not written out during this one's measurement
    started = time.monotonic()
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        try:
            rows = pool.submit(call_run, name).result()
        except BaseException as error:  # a benchmark that dies (even by SystemExit) is a row, not the end
            if isinstance(error, KeyboardInterrupt):
                raise
            rows = [harness.Row(name, f"did not finish: {error}", verdict="FAILED")]
    print(f"=== {name}: {time.monotonic() - started:.0f} s", flush=True)
    return rows


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="Comma-separated benchmark names (default: all).")
    parser.add_argument("--no-write", action="store_true", help="Print the table without writing bench/results.md.")
    options = parser.parse_args()
    names = [name for name in options.only.split(",") if name] or list(BENCHMARKS)

    ensure_services()
    started, load_before = datetime.now(UTC), os.getloadavg()[0]
    rows = [row for name in names for row in run_one(name)]
    table = harness.markdown_table(rows)
    print()
    print(table)
    if options.no_write:
        return
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"`make bench` on {started:%Y-%m-%d %H:%M} UTC, {machine()}.\n"
        f"Load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after it.\n"
        "Every figure is measured side by side with its peer in the same run; every HTTP row also beside the\n"
        "framework floor's matching operation (a minimal Django + DRF project, bench/floor/, served with the same\n"
        "settings): its share of the floor's rate. See bench/README.md for how.\n\n"
        f"{table}\n"
    )
    print(f"\nWritten to {RESULTS.relative_to(harness.ROOT)}")


if __name__ == "__main__":
    main()
