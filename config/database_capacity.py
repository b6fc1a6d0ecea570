"""Database connections the web server can hold, against the number PostgreSQL allows.

Django keeps one connection per thread that has served a request (CONN_MAX_AGE), so gunicorn holds up to
workers x threads connections once enough requests arrive together. Past PostgreSQL's limit the extra
threads fail to connect ("too many clients already") and answer 503: a configuration that works in a quiet
hour and fails at the peak. gunicorn's start-up hook (config/gunicorn.py) checks it before anything is served.
"""

import dj_database_url
import psycopg

LIMIT_QUERY = """
SELECT current_setting('max_connections')::int
     - current_setting('superuser_reserved_connections')::int
     - coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0)
"""


class TooManyDatabaseConnections(RuntimeError):
    pass


def connections_needed(workers: int, threads: int) -> int:
    return workers * max(1, threads)


def connection_limit(database_url: str) -> int | None:
    """Connections a role without reserved slots may open; None when the database is not PostgreSQL."""
    if not database_url:  # the embedded default, SQLite
        return None
    config = dj_database_url.parse(database_url)
    if "postgresql" not in config["ENGINE"]:
        return None
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(connect_timeout=3, **{k: v for k, v in params.items() if v is not None}) as conn:
        return conn.execute(LIMIT_QUERY).fetchone()[0]


def check_web_server(workers: int, threads: int, database_url: str) -> str:
    """A line for the log when the server fits; TooManyDatabaseConnections when it cannot."""
    needed = connections_needed(workers, threads)
    limit = connection_limit(database_url)
    if limit is None:
        return f"{workers} workers x {threads} threads"
    if needed > limit:
        raise TooManyDatabaseConnections(
            f"{workers} workers x {threads} threads may hold {needed} database connections, but PostgreSQL "
            f"allows {limit} (max_connections less its reserved slots): under load the rest would answer 503. "
            "Lower WEB_CONCURRENCY or WEB_THREADS, or raise max_connections. Behind a connection pooler, "
            "set WEB_CHECK_DATABASE_CONNECTIONS=false."
        )
    return f"{workers} workers x {threads} threads: up to {needed} of the {limit} database connections allowed"
