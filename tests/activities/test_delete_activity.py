import uuid

import pytest

from activities.models import Activity, ActivityStateChange, ActivityType, CustomFieldValue

pytestmark = pytest.mark.django_db


def test_delete_removes_the_activity_and_what_hangs_off_it(backoffice, make_activity, back_office, vip):
    activity = make_activity(custom_fields={"back_office": "B1"})
    activity.tags.add(vip)
    kept = make_activity(name="Another one")

    response = backoffice.delete(f"/backoffice/v2/activities/{activity.id}")

    assert response.status_code == 204
    assert response.content == b""
    assert list(Activity.objects.all()) == [kept]
    assert not ActivityStateChange.objects.filter(activity_id=activity.id).exists()
    assert not CustomFieldValue.objects.filter(activity_id=activity.id).exists()
    assert vip.activities.count() == 0
    assert backoffice.get(f"/backoffice/v2/activities/{activity.id}").status_code == 404


def test_deleting_again_is_not_found(backoffice, activity):
    backoffice.delete(f"/backoffice/v2/activities/{activity.id}")

    response = backoffice.delete(f"/backoffice/v2/activities/{activity.id}")

    assert response.status_code == 404
    assert response.json()["error"] == "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION"


def test_an_unknown_activity_is_not_found(backoffice, activity):
    response = backoffice.delete(f"/backoffice/v2/activities/{uuid.uuid4()}")

    assert response.status_code == 404
    assert Activity.objects.count() == 1


def test_a_test_mode_key_cannot_delete_a_live_activity(backoffice_test_mode, activity):
    response = backoffice_test_mode.delete(f"/backoffice/v2/activities/{activity.id}")

    assert response.status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_test_mode_key_deletes_its_own(backoffice_test_mode, make_activity, make_contact):
    sandbox = make_activity(
        is_test=True,
        contact=make_contact(is_test=True),
        type=ActivityType.objects.create(name="site visit", is_test=True),
    )

    assert backoffice_test_mode.delete(f"/backoffice/v2/activities/{sandbox.id}").status_code == 204
    assert not Activity.objects.filter(pk=sandbox.pk).exists()


def test_a_read_only_key_may_not_delete(backoffice_as, activity):
    read_only = backoffice_as("backoffice.read")
    response = read_only.delete(f"/backoffice/v2/activities/{activity.id}")

    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()
