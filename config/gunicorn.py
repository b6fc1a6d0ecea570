"""gunicorn settings for `make run` and for running at scale (`gunicorn config.wsgi -c config/gunicorn.py`).

Threaded workers (gthread) keep each client's connection open between requests, where sync workers close it
after every answer, and overlap one request's database round trips with another's work. Each thread keeps
its own database connection, so workers x threads must fit in PostgreSQL's max_connections: the start-up
check below refuses a server that could not (docs/operations.md, "The web server").
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process per core, each overlapping its requests' database waits in threads (bench/README.md, "Mixed load").
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("WEB_THREADS", "16"))
# Seconds an idle client connection stays open for its next request.
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# Connections the kernel queues before gunicorn accepts them.
backlog = int(os.environ.get("WEB_BACKLOG", "2048"))
# Seed 004 sends its key in an `api_key` header; gunicorn drops names with underscores unless told not to.
header_map = "dangerous"
accesslog = os.environ.get("ACCESS_LOG", "-")
timeout = 60
# gunicorn's control socket has one path per user on the host: each server would take it from the others.
control_socket_disable = True


def on_starting(server):
    check_settings()
    if os.environ.get("WEB_CHECK_DATABASE_CONNECTIONS", "true").strip().lower() in {"0", "false", "no", "off"}:
        return
    from config.database_capacity import TooManyDatabaseConnections, check_web_server

    try:
        summary = check_web_server(server.cfg.workers, server.cfg.threads, os.environ.get("DATABASE_URL", ""))
    except TooManyDatabaseConnections:
        raise
    except Exception as error:  # a database that is down must not keep the server (and its 503s) from starting
        server.log.warning("web.database_check_skipped error=%s", error)
        return
    server.log.info("web.capacity %s", summary)


def check_settings():
    """Read the settings before any worker starts, so one the server refuses (SECRET_KEY unset) stops gunicorn
    with its reason, rather than each worker failing to boot with a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018 (reading it loads, and so checks, the settings)
    except ImproperlyConfigured as error:
        raise RuntimeError(str(error)) from None
