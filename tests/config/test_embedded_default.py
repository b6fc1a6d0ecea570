"""The embedded default works end to end: SQLite, in-process tasks, no services running."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accounts.models import Account

pytestmark = [pytest.mark.embedded, pytest.mark.django_db(transaction=True)]


def test_runs_on_sqlite_with_in_process_tasks():
    assert connection.vendor == "sqlite"
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert not settings.CELERY_BROKER_URL


def test_demo_data_key_and_accounts_api_end_to_end(anonymous):
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("create_api_key", "demo", "--scopes", "all", stdout=out)
    anonymous.credentials(HTTP_API_KEY=out.getvalue().strip())

    contacts = anonymous.get("/backoffice/v2/contacts?search_value=C123").json()["content"]
    contact_id = contacts[0]["id"]
    created = anonymous.post(f"/backoffice/v2/contacts/{contact_id}/accounts", {"currency_code": "GBP"}, format="json")
    listed = anonymous.get(f"/backoffice/v2/contacts/{contact_id}/accounts?state=ACTIVE").json()

    assert created.status_code == 201
    assert created.json()["id"] in [a["id"] for a in listed["content"]]
    assert Account.objects.get(pk=created.json()["id"]).number.startswith("AC")
    assert anonymous.get("/healthz").json()["broker"]["mode"] == "in-process (eager)"
