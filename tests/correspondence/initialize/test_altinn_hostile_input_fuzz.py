"""Hypothesis against every operation of the Altinn correspondence family (seed 001) its OpenAPI schema documents:
bodies and query strings built from every parameter it names, with hostile values, and a valid Initialize bent by
them. Whatever arrives: never a 5xx, a refusal as problem details, and a refused request stores nothing."""

import json

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.correspondence.initialize.helpers import initialize_body
from tests.fuzzing import (
    HOSTILE,
    LEAKS,
    fill_path,
    hostile_bodies,
    hostile_query_values,
    mutations,
    query_string,
    rows_everywhere,
    schema_operations,
)

pytestmark = pytest.mark.django_db(transaction=True)

OPERATIONS = schema_operations("/correspondence/api/v1/")
QUERY_NAMES = sorted({name for _, _, query, _ in OPERATIONS for name in query})
BODY_MEMBERS = sorted({name for _, _, _, body in OPERATIONS for name in body})
path_texts = st.sampled_from(["0", "-1", "00000000-0000-0000-0000-000000000000", "%ED%A0%80", "x" * 300])


@pytest.fixture
def records(altinn, make_organisation, initialize):
    company = make_organisation()
    answer = initialize(altinn, [f"0192:{company.org_number}"]).json()
    return {
        "correspondence_id": answer["correspondences"][0]["correspondenceId"],
        "attachment_id": "00000000-0000-0000-0000-000000000000",
        "recipient": f"0192:{company.org_number}",
    }


def assert_problem_details(response):
    assert response.status_code < 500, response.content
    assert not LEAKS.search(response.content.decode("utf-8", "replace")), response.content
    if response.status_code >= 400:
        body = response.json()
        assert {"type", "title", "status"} <= set(body), body
        assert body["status"] == response.status_code and body["title"], body


@HOSTILE
@given(
    operation=st.sampled_from(OPERATIONS),
    real=st.booleans(),
    path_text=path_texts,
    query=st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_query_values, max_size=4),
    body=hostile_bodies(BODY_MEMBERS),
)
def test_any_request_gets_problem_details_and_a_refusal_stores_nothing(
    altinn, records, operation, real, path_text, query, body
):
    method, path, _, _ = operation
    url = fill_path(path, records if real else path_text)
    before = rows_everywhere()

    response = altinn.generic(
        method, url, body if method == "POST" else "", content_type="application/json", QUERY_STRING=query_string(query)
    )

    event(f"{method} {path} {response.status_code}")
    assert_problem_details(response)
    if response.status_code >= 400:
        assert rows_everywhere() == before, (method, url, json.loads(response.content))


@HOSTILE
@given(data=st.data())
def test_a_valid_initialize_bent_by_hostile_values_is_answered_and_a_refusal_stores_nothing(altinn, records, data):
    body = data.draw(mutations(initialize_body([records["recipient"]]), BODY_MEMBERS))
    before = rows_everywhere()

    response = altinn.generic("POST", "/correspondence/api/v1/correspondence", body, content_type="application/json")

    event(f"initialize {response.status_code}")
    assert_problem_details(response)
    if response.status_code >= 400:
        assert rows_everywhere() == before, (body[:300], response.json())
