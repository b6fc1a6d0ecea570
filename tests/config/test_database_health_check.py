"""The health check of a kept PostgreSQL connection (config/postgresql/): a live connection is not asked
`SELECT 1` before a request's first query; one the server has ended is found out and replaced, unnoticed."""

import select

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def next_request() -> None:
    """What Django's request_started leaves of a kept connection: its health to be checked before its next query."""
    connection.health_check_done = False


def pings(monkeypatch) -> list:
    asked = []
    is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: asked.append("SELECT 1") or is_usable())
    return asked


def test_a_live_connection_is_not_asked_select_1(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    asked = pings(monkeypatch)
    kept = connection.connection

    next_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)

    assert connection.health_check_enabled
    assert asked == [] and connection.connection is kept


def test_a_connection_the_server_ended_is_replaced_before_the_query(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (ended,) = cursor.fetchone()
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or None
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended])
    select.select([connection.connection.fileno()], [], [], 5)  # the server's word of it has arrived
    asked = pings(monkeypatch)

    next_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (now,) = cursor.fetchone()

    assert asked == ["SELECT 1"]
    assert now != ended
