"""gunicorn refuses to start when its threads could hold more database connections than PostgreSQL allows:
at the peak the extra threads would answer 503 ("too many clients") instead of serving."""

import socket
import urllib.request

import pytest
from django.db import connection

from config.database_capacity import connection_limit
from tests.processes import Gunicorn, project_env, session_database_url

pytestmark = pytest.mark.django_db


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def serve(tmp_path, workers: int, threads: int, **settings) -> tuple[int, str]:
    """Start a server, ask /healthz, stop it; the status and what the server logged."""
    server = Gunicorn(project_env(DATABASE_URL=session_database_url(), **settings), tmp_path, workers, threads)
    try:
        server.wait_ready()
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:
            status = response.status
    finally:
        server.stop()
    return status, server.log()


def test_the_limit_is_what_postgresql_leaves_to_ordinary_roles():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        (max_connections,) = cursor.fetchone()

    assert 0 < connection_limit(session_database_url()) < int(max_connections)


def test_gunicorn_refuses_to_start_with_more_threads_than_database_connections(tmp_path):
    limit = connection_limit(session_database_url())
    threads = limit // 2 + 1

    server = Gunicorn(project_env(DATABASE_URL=session_database_url()), tmp_path, 2, threads)
    try:
        returncode = server.popen.wait(timeout=60)
    finally:
        server.stop()

    assert returncode != 0
    assert (
        f"2 workers x {threads} threads may hold {2 * threads} database connections, "
        f"but PostgreSQL allows {limit}" in server.log()
    )
    assert "Lower WEB_CONCURRENCY or WEB_THREADS" in server.log()
    assert not listening(server.port)


def test_gunicorn_starts_and_says_how_many_connections_it_may_hold(tmp_path):
    limit = connection_limit(session_database_url())

    status, log = serve(tmp_path, 1, 2)

    assert status == 200
    assert f"1 workers x 2 threads: up to 2 of the {limit} database connections allowed" in log


def test_behind_a_connection_pooler_the_check_is_turned_off(tmp_path):
    threads = connection_limit(session_database_url()) // 2 + 1

    status, log = serve(tmp_path, 2, threads, WEB_CHECK_DATABASE_CONNECTIONS="false")

    assert status == 200
    assert "database connections" not in log
