"""Hypothesis against every operation of the back-office v2 family (seed 004) its OpenAPI schema documents: bodies and
query strings built from every parameter it names, with hostile values. Whatever arrives: never a 5xx, a refusal in
the family's error body, and a refused request stores nothing."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import (
    HOSTILE,
    LEAKS,
    fill_path,
    hostile_bodies,
    hostile_query_values,
    query_string,
    rows_everywhere,
    schema_operations,
)

pytestmark = pytest.mark.django_db(transaction=True)

OPERATIONS = schema_operations("/backoffice/v2/")
QUERY_NAMES = sorted({name for _, _, query, _ in OPERATIONS for name in query})
BODY_MEMBERS = sorted({name for _, _, _, body in OPERATIONS for name in body})
path_texts = st.sampled_from(["", "0", "-1", "C123", "00000000-0000-0000-0000-000000000000", "%ED%A0%80", "x" * 300])


@pytest.fixture
def records(backoffice, contact, make_account, make_activity):
    account = make_account(contact)
    activity = make_activity()
    insight = backoffice.post("/backoffice/v2/insights", {"name": "Held"}, format="json").json().get("id")
    return {
        "contacts": contact.id,
        "organisations": contact.id,
        "accounts": account.id,
        "activities": activity.id,
        "insights": insight,
    }


def identifiers_of(path: str, records: dict, real: bool, text: str) -> dict:
    resource = re.match(r"/backoffice/v2/(\w+)/\{", path)
    return {"id": records.get(resource.group(1)) if real and resource else text}


def assert_v2_answer(response):
    assert response.status_code < 500, response.content
    assert not LEAKS.search(response.content.decode("utf-8", "replace")), response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"status", "message", "error", "parameters"}, body
        assert body["status"] == response.status_code and body["error"].startswith("CRM.EXCEPTIONS."), body


@HOSTILE
@given(
    operation=st.sampled_from(OPERATIONS),
    real=st.booleans(),
    path_text=path_texts,
    query=st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_query_values, max_size=4),
    body=hostile_bodies(BODY_MEMBERS),
)
def test_any_request_gets_the_familys_answer_and_a_refusal_stores_nothing(
    backoffice, records, operation, real, path_text, query, body
):
    method, path, _, _ = operation
    url = fill_path(path, identifiers_of(path, records, real, path_text))
    before = rows_everywhere()

    response = backoffice.generic(
        method,
        url,
        body if method in ("POST", "PUT", "PATCH") else "",
        content_type="application/json",
        QUERY_STRING=query_string(query),
    )

    assert_v2_answer(response)
    if response.status_code >= 400:
        assert rows_everywhere() == before, (method, url, json.loads(response.content))
