"""The embedded default (SQLite): migrations apply, and the list's filters and the overdue report work."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from .helpers import create_body

pytestmark = [pytest.mark.embedded, pytest.mark.django_db]


def test_activities_work_on_the_embedded_database(backoffice, contact, site_visit, vip, back_office):
    assert connection.vendor == "sqlite"
    body = create_body(contact, site_visit, custom_fields=[{"key": "back_office", "value": "0001-12345"}])
    created = backoffice.post("/backoffice/v2/activities", body, format="json").json()["id"]
    backoffice.put(f"/backoffice/v2/activities/{created}/tags", {"tags": [str(vip.id)]}, format="json")
    backoffice.post("/backoffice/v2/activities", create_body(contact, site_visit, name="Other"), format="json")

    listed = backoffice.get(
        "/backoffice/v2/activities/",
        {
            "search_value": "CUSTOMER",
            "custom_fields": "back_office;0001-12345",
            "tag_ids": str(vip.id),
            "types": "Site Visit",
            "include_tags": "true",
        },
    ).json()

    assert [entry["id"] for entry in listed["content"]] == [created]
    assert listed["content"][0]["tags"][0]["name"] == "VIP"
    out = io.StringIO()
    call_command("overdue_activities", "--format", "csv", stdout=out, stderr=io.StringIO())
    assert created in out.getvalue()
