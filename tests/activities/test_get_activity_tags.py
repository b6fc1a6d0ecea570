import uuid

import pytest

from activities.models import ActivityType

pytestmark = pytest.mark.django_db


def test_the_tags_come_back_as_the_seed_shows(backoffice, activity, vip, maintenance):
    activity.tags.add(vip, maintenance)

    response = backoffice.get(f"/backoffice/v2/activities/{activity.id}/tags")

    assert response.status_code == 200
    assert response.json() == {
        "content": [
            {"id": str(maintenance.id), "name": "Maintenance", "colour": "#FF5733"},
            {"id": str(vip.id), "name": "VIP", "colour": "#0000FF"},
        ]
    }


def test_an_untagged_activity_has_an_empty_list(backoffice, activity):
    assert backoffice.get(f"/backoffice/v2/activities/{activity.id}/tags").json() == {"content": []}


def test_an_unknown_activity_is_not_found(backoffice):
    response = backoffice.get(f"/backoffice/v2/activities/{uuid.uuid4()}/tags")

    assert response.status_code == 404
    assert response.json()["error"] == "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION"


def test_a_live_activitys_tags_are_not_found_with_a_test_key(backoffice_test_mode, activity):
    assert backoffice_test_mode.get(f"/backoffice/v2/activities/{activity.id}/tags").status_code == 404


def test_a_test_key_reads_its_own(backoffice_test_mode, make_activity, make_contact):
    sandbox = make_activity(
        is_test=True,
        contact=make_contact(is_test=True),
        type=ActivityType.objects.create(name="site visit", is_test=True),
    )

    assert backoffice_test_mode.get(f"/backoffice/v2/activities/{sandbox.id}/tags").status_code == 200
