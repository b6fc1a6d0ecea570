"""POST /insights: the seed's Create Insight."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from insights.models import Insight

pytestmark = pytest.mark.django_db


def test_seed_example_creates_an_insight(backoffice):
    response = backoffice.post(
        "/backoffice/v2/insights",
        {"name": "Marketing customers", "description": "A list of customers that own an account"},
        format="json",
    )

    assert response.status_code == 200, response.content
    insight = Insight.objects.get()
    assert response.json() == {"id": str(insight.id)}
    assert (insight.name, insight.description, insight.is_test) == (
        "Marketing customers",
        "A list of customers that own an account",
        False,
    )
    assert (insight.events, insight.filters, insight.breakdowns, insight.breakdown_limit) == ([], [], [], 10)
    assert insight.created_by_key.name == "test key"


def test_the_slash_and_a_null_description_are_accepted(backoffice):
    response = backoffice.post(
        "/backoffice/v2/insights/", {"name": "Returned mail", "description": None}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Insight.objects.get().description is None


def test_a_test_key_makes_a_test_insight(backoffice_test_mode):
    backoffice_test_mode.post("/backoffice/v2/insights", {"name": "Trial"}, format="json")
    assert Insight.objects.get().is_test is True


def test_a_logged_in_user_is_recorded_as_its_creator(db):
    user = get_user_model().objects.create_user("jane", password="correct horse battery", first_name="Jane")
    client = APIClient()
    token = client.post(
        "/backoffice/v2/users/login", {"username": "jane", "password": "correct horse battery"}, format="json"
    ).json()["access_token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    created = client.post("/backoffice/v2/insights", {"name": "Mine"}, format="json").json()["id"]

    assert client.get(f"/backoffice/v2/insights/{created}").json()["created_by"] == {
        "id": str(user.identifier.guid),
        "name": "Jane",
    }


@pytest.mark.parametrize(
    ("body", "error", "parameter"),
    [
        ({}, "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION", "name"),
        ({"name": "   "}, "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION", "name"),
        ({"name": "x" * 101}, "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION", "name"),
        ({"name": 12}, "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION", "name"),
        ({"name": "ok", "description": ["no"]}, "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION", "description"),
    ],
)
def test_a_bad_body_is_refused_and_nothing_is_made(backoffice, body, error, parameter):
    response = backoffice.post("/backoffice/v2/insights", body, format="json")

    assert response.status_code == 400
    answer = response.json()
    assert (answer["status"], answer["error"], answer["parameters"][0]) == (400, error, parameter)
    assert not Insight.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(backoffice):
    response = backoffice.post("/backoffice/v2/insights", ["name"], format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert not Insight.objects.exists()


def test_a_hundred_characters_is_the_longest_name(backoffice):
    assert backoffice.post("/backoffice/v2/insights", {"name": "x" * 100}, format="json").status_code == 200


def test_creating_needs_the_write_scope(client_with):
    response = client_with("backoffice.read").post("/backoffice/v2/insights", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "CRM.EXCEPTIONS.FORBIDDENEXCEPTION"
    assert not Insight.objects.exists()
