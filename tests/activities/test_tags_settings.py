"""GET/POST /tags: the settings integrators create the tag ids they pass to PUT /activities/{id}/tags."""

from urllib.parse import urlencode

import pytest

from activities.models import Tag

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/tags"


def test_create_returns_the_id(backoffice):
    response = backoffice.post(URL, {"name": "VIP", "colour": "#0000FF"}, format="json")

    assert response.status_code == 201
    created = Tag.objects.get(pk=response.json()["id"])
    assert (created.name, created.colour, created.is_test) == ("VIP", "#0000FF", False)


def test_the_type_spelling_of_colour_is_taken_too(backoffice):
    response = backoffice.post(URL, {"name": "Maintenance", "color": "FF5733"}, format="json")

    assert Tag.objects.get(pk=response.json()["id"]).colour == "FF5733"


def test_a_form_encoded_body_is_taken(backoffice):
    body = urlencode({"name": "VIP", "colour": "#0000FF"})

    response = backoffice.post(URL, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 201
    assert Tag.objects.get(pk=response.json()["id"]).colour == "#0000FF"


def test_the_list_is_sorted_by_name_and_paged(backoffice, vip, maintenance):
    response = backoffice.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "content": [
            {"id": str(maintenance.id), "name": "Maintenance", "colour": "#FF5733"},
            {"id": str(vip.id), "name": "VIP", "colour": "#0000FF"},
        ],
        "paging": {"page": 1, "size": 10, "total": 2},
    }


def test_each_mode_has_its_own_tags(backoffice, backoffice_test_mode, vip):
    created = backoffice_test_mode.post(URL, {"name": "VIP"}, format="json")

    assert created.status_code == 201
    assert [t["id"] for t in backoffice_test_mode.get(URL).json()["content"]] == [created.json()["id"]]
    assert [t["id"] for t in backoffice.get(URL).json()["content"]] == [str(vip.id)]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION"),
        ({"name": "Urgent", "colour": "FR547F"}, 400, "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"),
        ({"name": "vip"}, 409, "CRM.EXCEPTIONS.ALREADYEXISTSEXCEPTION"),
    ],
    ids=["no name", "not a hex colour", "name taken"],
)
def test_bad_input_is_refused_and_nothing_is_created(backoffice, vip, body, status, error):
    response = backoffice.post(URL, body, format="json")

    assert response.status_code == status
    assert response.json()["error"] == error
    assert list(Tag.objects.all()) == [vip]


def test_a_read_only_key_may_list_but_not_create(backoffice_as, vip):
    read_only = backoffice_as("backoffice.read")
    assert read_only.get(URL).status_code == 200
    assert read_only.post(URL, {"name": "Urgent"}, format="json").status_code == 403
    assert Tag.objects.count() == 1
