import uuid

import pytest

from activities.models import Tag

pytestmark = pytest.mark.django_db


def url(activity) -> str:
    return f"/backoffice/v2/activities/{activity.id}/tags"


def test_the_seed_example_sets_the_tags(backoffice, activity, vip):
    body = f'{{\n    "tags": [\n        "{vip.id}"\n    ]\n}}'

    response = backoffice.put(url(activity), body, content_type="application/json")

    assert response.status_code == 200
    assert response.json() == {"id": str(activity.id)}
    assert list(activity.tags.all()) == [vip]


def test_the_given_tags_replace_the_current_ones(backoffice, activity, vip, maintenance):
    activity.tags.add(vip)

    response = backoffice.put(url(activity), {"tags": [str(maintenance.id), str(maintenance.id)]}, format="json")

    assert response.status_code == 200
    assert list(activity.tags.all()) == [maintenance]


def test_an_empty_list_removes_every_tag(backoffice, activity, vip):
    activity.tags.add(vip)

    assert backoffice.put(url(activity), {"tags": []}, format="json").status_code == 200
    assert not activity.tags.exists()


@pytest.mark.parametrize("identifier", [str(uuid.uuid4()), "sandbox"])
def test_an_unknown_tag_changes_nothing(backoffice, activity, vip, maintenance, identifier):
    activity.tags.add(vip)
    if identifier == "sandbox":
        identifier = str(Tag.objects.create(name="VIP", is_test=True).id)

    response = backoffice.put(url(activity), {"tags": [str(maintenance.id), identifier]}, format="json")

    assert response.status_code == 404
    assert response.json()["parameters"] == ["tag", identifier]
    assert list(activity.tags.all()) == [vip]


@pytest.mark.parametrize("body", [{}, {"tags": "VIP"}, {"tags": ["not-a-uuid"]}])
def test_a_malformed_body_is_refused(backoffice, activity, vip, body):
    activity.tags.add(vip)

    response = backoffice.put(url(activity), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"] in (
        "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION",
        "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION",
    )
    assert list(activity.tags.all()) == [vip]


def test_an_unknown_activity_is_not_found(backoffice, vip):
    response = backoffice.put(f"/backoffice/v2/activities/{uuid.uuid4()}/tags", {"tags": [str(vip.id)]}, format="json")

    assert response.status_code == 404
    assert response.json()["parameters"][0] == "activity"


def test_a_read_only_key_may_not_tag(backoffice_as, activity, vip):
    read_only = backoffice_as("backoffice.read")
    assert read_only.put(url(activity), {"tags": [str(vip.id)]}, format="json").status_code == 403
    assert not activity.tags.exists()
