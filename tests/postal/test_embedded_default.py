"""The postal service on the embedded default: SQLite, in-process tasks, polling counts in the cache."""

import base64
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from postal import polling
from postal.models import Letter
from tests.clients import JsonRpcClient

pytestmark = [pytest.mark.embedded, pytest.mark.django_db(transaction=True)]


def test_upload_lodge_and_poll_without_postgres_or_redis(settings, pdf):
    settings.POSTAL_POLL_REDIS_URL = ""
    settings.POSTAL_POLL_ALLOWANCE = 2
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(0)
    polling._counter_for.cache_clear()
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("create_api_key", "demo", "--scopes", "all", "--postal-account", "ABC12345", stdout=out)
    caller = JsonRpcClient(out.getvalue().strip())

    uploaded = caller.call(
        "upload_mailing", {"account": "ABC12345", "letters": [{"ref": "fresh", "pdf": base64.b64encode(pdf).decode()}]}
    )
    statuses = [
        caller.call("get_letter_status", {"account": "ABC12345", "refs": ["fresh", "myref1"]}) for _ in range(3)
    ]

    assert connection.vendor == "sqlite"
    assert uploaded.status_code == 200
    # In-process tasks: the upload's lodging ran as soon as it was committed.
    assert Letter.objects.get(ref="fresh").status == "Lodged"
    first = statuses[0].json()["result"]["letters"]
    assert [(e["ref"], e["status"]) for e in first] == [("fresh", "Lodged"), ("myref1", "Lodged")]
    fresh = Letter.objects.get(ref="fresh")
    assert first[0]["received_ts"] == int(fresh.received_on.timestamp())
    assert first[0]["price"] == 1.83
    assert [s.status_code for s in statuses] == [200, 200, 429]
    polling._counter_for.cache_clear()
