"""gunicorn refuses to start when its threads could hold more database connections than PostgreSQL allows:
at the peak the extra threads would answer 503 ("too many clients") instead of serving."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from config.database_capacity import connection_limit

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
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
    ]


def server_env(**extra) -> dict:
    return {**os.environ, "DATABASE_URL": database_url(), "ACCESS_LOG": "/dev/null", **extra}


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def healthz_when_up(port: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def serve(port: int, workers: int, threads: int, **env) -> tuple[int, str]:
    """Start a server, ask /healthz, stop it; the status and what the server logged."""
    process = subprocess.Popen(
        gunicorn(port, workers, threads),
        cwd=ROOT,
        env=server_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = healthz_when_up(port)
    finally:
        process.terminate()
        _, log = process.communicate(timeout=30)
    return status, log


def test_the_limit_is_what_postgresql_leaves_to_ordinary_roles():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        (max_connections,) = cursor.fetchone()

    assert 0 < connection_limit(database_url()) < int(max_connections)


def test_gunicorn_refuses_to_start_with_more_threads_than_database_connections():
    limit = connection_limit(database_url())
    threads = limit // 2 + 1
    port = free_port()

    result = subprocess.run(
        gunicorn(port, 2, threads), cwd=ROOT, env=server_env(), capture_output=True, text=True, timeout=60
    )

    assert result.returncode != 0
    assert (
        f"2 workers x {threads} threads may hold {2 * threads} database connections, "
        f"but PostgreSQL allows {limit}" in result.stderr
    )
    assert "Lower WEB_CONCURRENCY or WEB_THREADS" in result.stderr
    assert not listening(port)


def test_gunicorn_starts_and_says_how_many_connections_it_may_hold():
    limit = connection_limit(database_url())

    status, log = serve(free_port(), 1, 2)

    assert status == 200
    assert f"1 workers x 2 threads: up to 2 of the {limit} database connections allowed" in log


def test_behind_a_connection_pooler_the_check_is_turned_off():
    threads = connection_limit(database_url()) // 2 + 1

    status, log = serve(free_port(), 2, threads, WEB_CHECK_DATABASE_CONNECTIONS="false")

    assert status == 200
    assert "database connections" not in log
