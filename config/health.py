"""Liveness: the database must answer; the broker's state is reported alongside."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from kombu import Connection
from kombu.utils.url import maybe_sanitize_url

log = logging.getLogger(__name__)


def broker_status() -> dict:
    if not settings.CELERY_BROKER_URL:
        return {"url": None, "mode": "in-process (eager)", "reachable": True}
    status = {"url": maybe_sanitize_url(settings.CELERY_BROKER_URL), "mode": "celery workers"}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1, timeout=1)
        status["reachable"] = True
    except Exception as error:  # any failure to connect means "not reachable", with the reason shown
        status["reachable"] = False
        status["error"] = str(error)
    return status


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"vendor": connection.vendor, "reachable": True}
    except Exception as error:  # the point of this view is to report any database failure
        # The driver's text names hosts and ports: it goes to the log, not to an unauthenticated caller.
        log.error("health.database_unavailable error=%s", error)
        database = {"vendor": connection.vendor, "reachable": False, "error": "The database does not answer."}
    body = {"status": "ok" if database["reachable"] else "unavailable", "database": database, "broker": broker_status()}
    return JsonResponse(body, status=200 if database["reachable"] else 503)
