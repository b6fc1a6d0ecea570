"""POST /insights/{id}/filters: replaces the set (0 to 10); each value checked against its property's kind."""

import uuid

import pytest

from insights.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def insight(backoffice):
    created = backoffice.post("/backoffice/v2/insights", {"name": "Chart"}, format="json").json()["id"]
    backoffice.post(
        f"/backoffice/v2/insights/{created}/events",
        {"events": [{"event": "POSTAL_LETTER_RECEIVED"}, {"event": "POSTAL_LETTER_RETURNED"}]},
        format="json",
    )
    return created


def post(client, insight, filters):
    return client.post(f"/backoffice/v2/insights/{insight}/filters", {"filters": filters}, format="json")


def test_the_issues_example_on_communications(backoffice):
    insight = backoffice.post("/backoffice/v2/insights", {"name": "Email"}, format="json").json()["id"]
    backoffice.post(
        f"/backoffice/v2/insights/{insight}/events", {"events": [{"event": "COMMUNICATION_CREATED"}]}, format="json"
    )

    response = post(
        backoffice, insight, [{"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["EMAIL"]}]
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"id": insight}
    assert Insight.objects.get().filters == [
        {"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["EMAIL"]}
    ]


VALID = [
    {"property": "POSTAL_ACCOUNT", "operator": "CONTAINS", "values": ["ABC"]},
    {"property": "POSTAL_TRANSPORT", "operator": "NOT_IN", "values": ["SMS", "EMAIL"]},
    {"property": "AMOUNT", "operator": "GREATER_THAN_OR_EQUAL", "values": ["1.5"]},
    {"property": "AMOUNT", "operator": "BETWEEN", "values": [0, 2]},
    {"property": "CONTACT_ID", "operator": "IN", "values": ["6215F115321AC3D4880959CA5F502433"]},
    {"property": "CONTACT_COUNTRY", "operator": "IS_SET"},
    {"property": "CONTACT_TYPE", "operator": "IS_NOT_SET", "values": []},
]


def test_every_kind_of_value_is_kept_normalised(backoffice, insight):
    assert post(backoffice, insight, VALID).status_code == 200
    stored = Insight.objects.get().filters
    assert stored[2]["values"] == [1.5]
    assert stored[4]["values"] == ["6215f115-321a-c3d4-8809-59ca5f502433"]
    assert stored[5]["values"] == stored[6]["values"] == []


def test_an_empty_list_removes_the_filters(backoffice, insight):
    post(backoffice, insight, VALID)
    assert post(backoffice, insight, []).status_code == 200
    assert Insight.objects.get().filters == []


REFUSED = [
    ([{"property": "PRICE", "operator": "EQUALS", "values": [1]}], "filters[0].property", "PRICE is not a property"),
    ([{"property": "AMOUNT", "operator": "LIKE", "values": [1]}], "filters[0].operator", "LIKE is not an operator"),
    (
        [{"property": "POSTAL_TRANSPORT", "operator": "CONTAINS", "values": ["P"]}],
        "filters[0].operator",
        "cannot be compared",
    ),
    ([{"property": "AMOUNT", "operator": "CONTAINS", "values": [1]}], "filters[0].operator", "cannot be compared"),
    (
        [{"property": "CONTACT_ID", "operator": "GREATER_THAN", "values": ["x"]}],
        "filters[0].operator",
        "cannot be compared",
    ),
    ([{"property": "AMOUNT", "operator": "EQUALS", "values": ["cheap"]}], "filters[0].values", "takes numbers"),
    ([{"property": "AMOUNT", "operator": "EQUALS", "values": [True]}], "filters[0].values", "takes numbers"),
    ([{"property": "AMOUNT", "operator": "EQUALS", "values": [1, 2]}], "filters[0].values", "one value"),
    ([{"property": "AMOUNT", "operator": "BETWEEN", "values": [1]}], "filters[0].values", "two values"),
    ([{"property": "AMOUNT", "operator": "BETWEEN", "values": [3, 1]}], "filters[0].values", "lowest"),
    ([{"property": "AMOUNT", "operator": "IS_SET", "values": [1]}], "filters[0].values", "no values"),
    ([{"property": "POSTAL_TRANSPORT", "operator": "IN", "values": []}], "filters[0].values", "1 to 100"),
    (
        [{"property": "POSTAL_TRANSPORT", "operator": "EQUALS", "values": ["PIGEON"]}],
        "filters[0].values",
        "PIGEON is not",
    ),
    ([{"property": "CONTACT_ID", "operator": "EQUALS", "values": ["C123"]}], "filters[0].values", "ids (GUIDs)"),
    ([{"property": "POSTAL_ACCOUNT", "operator": "EQUALS", "values": [7]}], "filters[0].values", "strings"),
    ([{"property": "POSTAL_ACCOUNT", "operator": "EQUALS", "values": ["x" * 201]}], "filters[0].values", "200"),
    ([{"operator": "IS_SET"}], "filters[0].property", "required"),
    ([VALID[0]] * 11, "filters", "0 to 10"),
]


@pytest.mark.parametrize(("filters", "parameter", "words"), REFUSED)
def test_a_bad_filter_is_refused_and_the_old_set_kept(backoffice, insight, filters, parameter, words):
    post(backoffice, insight, [VALID[0]])

    response = post(backoffice, insight, filters)

    assert response.status_code == 400
    assert response.json()["parameters"][0] == parameter
    assert words in response.json()["message"]
    assert Insight.objects.get().filters == [VALID[0]]


def test_a_property_not_every_event_has_is_refused_naming_it(backoffice, insight):
    response = post(backoffice, insight, [{"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["SMS"]}])

    assert response.status_code == 400
    answer = response.json()
    assert answer["parameters"] == ["filters[0].property", "COMMUNICATION_MEDIA"]
    assert "not a property of POSTAL_LETTER_RECEIVED, POSTAL_LETTER_RETURNED" in answer["message"]


def test_without_events_only_the_contacts_properties_apply(backoffice):
    insight = backoffice.post("/backoffice/v2/insights", {"name": "Empty"}, format="json").json()["id"]
    ok = post(backoffice, insight, [{"property": "CONTACT_TYPE", "operator": "EQUALS", "values": ["COMPANY"]}])
    refused = post(backoffice, insight, [{"property": "AMOUNT", "operator": "IS_SET"}])
    assert (ok.status_code, refused.status_code) == (200, 400)


def test_an_unknown_insight_is_not_found(backoffice):
    missing = str(uuid.uuid4())
    response = post(backoffice, missing, [])
    assert (response.status_code, response.json()["parameters"]) == (404, ["insight", missing])
