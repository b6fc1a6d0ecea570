"""A test-mode key and a live key never see each other's activities, types or tags."""

import pytest

from activities.models import Activity, ActivityType, Tag

from .helpers import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox(make_activity, make_contact):
    contact = make_contact(is_test=True)
    activity_type = ActivityType.objects.create(name="site visit", is_test=True)
    tag = Tag.objects.create(name="VIP", is_test=True)
    activity = make_activity(is_test=True, contact=contact, type=activity_type, name="Sandbox visit")
    return activity, contact, activity_type, tag


def test_each_key_lists_only_its_own_mode(backoffice, backoffice_test_mode, activity, sandbox):
    live = backoffice.get("/backoffice/v2/activities/").json()["content"]
    test = backoffice_test_mode.get("/backoffice/v2/activities/").json()["content"]

    assert [entry["id"] for entry in live] == [str(activity.id)]
    assert [entry["id"] for entry in test] == [str(sandbox[0].id)]


def test_a_test_key_cannot_touch_a_live_activity(backoffice_test_mode, activity, vip):
    url = f"/backoffice/v2/activities/{activity.id}"

    assert backoffice_test_mode.get(url).status_code == 404
    assert backoffice_test_mode.put(url, {"name": "Hijacked"}, format="json").status_code == 404
    assert backoffice_test_mode.put(f"{url}/tags", {"tags": [str(vip.id)]}, format="json").status_code == 404
    assert backoffice_test_mode.delete(url).status_code == 404
    activity.refresh_from_db()
    assert activity.name == "Call customer"
    assert not activity.tags.exists()


def test_a_test_key_cannot_link_live_records(backoffice_test_mode, contact, site_visit, sandbox):
    _, sandbox_contact, sandbox_type, _ = sandbox

    live_contact = backoffice_test_mode.post(
        "/backoffice/v2/activities", create_body(contact, sandbox_type), format="json"
    )
    live_type = backoffice_test_mode.post(
        "/backoffice/v2/activities", create_body(sandbox_contact, site_visit), format="json"
    )

    assert (live_contact.status_code, live_type.status_code) == (404, 404)
    assert Activity.objects.count() == 1


def test_a_live_key_cannot_tag_with_a_test_tag(backoffice, activity, sandbox):
    tag = sandbox[3]

    response = backoffice.put(f"/backoffice/v2/activities/{activity.id}/tags", {"tags": [str(tag.id)]}, format="json")

    assert response.status_code == 404
    assert not activity.tags.exists()
