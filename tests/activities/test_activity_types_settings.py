"""GET/POST /activity_types: the settings integrators create the `type_id`s they pass."""

import pytest

from activities.models import ActivityType

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activity_types"


def test_create_returns_the_id(backoffice):
    response = backoffice.post(URL, {"name": "site visit", "color": "876FD5"}, format="json")

    assert response.status_code == 201
    created = ActivityType.objects.get(pk=response.json()["id"])
    assert (created.name, created.color, created.is_test) == ("site visit", "876FD5", False)


def test_the_tag_spelling_of_colour_is_taken_too(backoffice):
    response = backoffice.post(URL, {"name": "call", "colour": "#2E86C1"}, format="json")

    assert ActivityType.objects.get(pk=response.json()["id"]).color == "#2E86C1"


def test_the_list_is_sorted_by_name_and_paged(backoffice, site_visit, call_type):
    response = backoffice.get(URL, {"size": 1, "page": 2})

    assert response.status_code == 200
    assert response.json() == {
        "content": [{"id": str(site_visit.id), "name": "site visit", "color": "876FD5"}],
        "paging": {"page": 2, "size": 1, "total": 2},
    }


def test_each_mode_has_its_own_types(backoffice, backoffice_test_mode, site_visit):
    created = backoffice_test_mode.post(URL, {"name": "site visit"}, format="json")

    assert created.status_code == 201
    assert [t["id"] for t in backoffice_test_mode.get(URL).json()["content"]] == [created.json()["id"]]
    assert [t["id"] for t in backoffice.get(URL).json()["content"]] == [str(site_visit.id)]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION"),
        ({"name": "   "}, 400, "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION"),
        ({"name": "meeting", "color": "purple"}, 400, "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"),
        ({"name": "Site Visit"}, 409, "CRM.EXCEPTIONS.ALREADYEXISTSEXCEPTION"),
    ],
    ids=["no name", "blank name", "not a hex colour", "name taken"],
)
def test_bad_input_is_refused_and_nothing_is_created(backoffice, site_visit, body, status, error):
    response = backoffice.post(URL, body, format="json")

    assert response.status_code == status
    assert response.json()["error"] == error
    assert list(ActivityType.objects.all()) == [site_visit]


def test_a_read_only_key_may_list_but_not_create(backoffice_as, site_visit):
    read_only = backoffice_as("backoffice.read")
    assert read_only.get(URL).status_code == 200
    assert read_only.post(URL, {"name": "call"}, format="json").status_code == 403
    assert ActivityType.objects.count() == 1
