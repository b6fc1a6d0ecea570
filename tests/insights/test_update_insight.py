"""PUT /insights/{id}: the name and description given change; the rest stays."""

import pytest

from insights.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def insight(backoffice):
    created = backoffice.post(
        "/backoffice/v2/insights", {"name": "Returned mail", "description": "Letters back"}, format="json"
    )
    return Insight.objects.get(pk=created.json()["id"])


def test_a_partial_update_changes_only_what_is_given(backoffice, insight):
    response = backoffice.put(f"/backoffice/v2/insights/{insight.id}", {"name": "Returned post"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"id": str(insight.id)}
    insight.refresh_from_db()
    assert (insight.name, insight.description) == ("Returned post", "Letters back")


def test_null_clears_the_description(backoffice, insight):
    backoffice.put(f"/backoffice/v2/insights/{insight.id}/", {"description": None}, format="json")
    insight.refresh_from_db()
    assert (insight.name, insight.description) == ("Returned mail", None)


@pytest.mark.parametrize(("body", "parameter"), [({}, "name"), ({"name": ""}, "name"), ({"name": "y" * 101}, "name")])
def test_a_refused_update_changes_nothing(backoffice, insight, body, parameter):
    response = backoffice.put(f"/backoffice/v2/insights/{insight.id}", body, format="json")

    assert response.status_code == 400
    assert response.json()["parameters"][0] == parameter
    insight.refresh_from_db()
    assert (insight.name, insight.description) == ("Returned mail", "Letters back")


def test_an_unknown_or_other_modes_insight_is_not_found(backoffice, backoffice_test_mode, insight):
    response = backoffice_test_mode.put(f"/backoffice/v2/insights/{insight.id}", {"name": "Mine"}, format="json")
    assert response.status_code == 404
    assert response.json()["parameters"] == ["insight", str(insight.id)]
    assert backoffice.put("/backoffice/v2/insights/nope", {"name": "x"}, format="json").status_code == 404
    insight.refresh_from_db()
    assert insight.name == "Returned mail"
