"""Hypothesis against every operation of the letters family (seed 000) its OpenAPI schema documents: bodies and query
strings built from every parameter it names, with hostile values, and valid letters bent by them. Whatever arrives:
never a 5xx, a refusal as `{error, error_code, hint}`, and a refused request stores nothing and sends nothing."""

import json

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

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

OPERATIONS = schema_operations("/backend/api/v1/")
QUERY_NAMES = sorted({name for _, _, query, _ in OPERATIONS for name in query})
BODY_MEMBERS = sorted({name for _, _, _, body in OPERATIONS for name in body})
ACTIONS = st.sampled_from(["deliver", "email", "post", "", "unknown"])
path_texts = st.sampled_from(["0", "-1", "LT-1", "00000000-0000-0000-0000-000000000000", "%ED%A0%80", "x" * 300])
LETTER = {"correspondenceType": "Standard letter", "content": {"subject": "Welcome", "body": "Dear John,\n\nHello."}}


@pytest.fixture
def records(contact, letter_type, make_correspondence):
    return {"customers": contact.id, "correspondence": make_correspondence(contact).id}


def identifiers_of(path: str, records: dict, real: bool, text: str) -> dict:
    resource = path.removeprefix("/backend/api/v1/").split("/")[0]
    return {"id": records[resource] if real else text}


def assert_letters_answer(response):
    assert response.status_code < 500, response.content
    assert not LEAKS.search(response.content.decode("utf-8", "replace")), response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "error_code", "hint"}, body
        assert body["error_code"] // 1000 == response.status_code and body["error"] and body["hint"], body


@HOSTILE
@given(
    operation=st.sampled_from(OPERATIONS),
    real=st.booleans(),
    path_text=path_texts,
    query=st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_query_values, max_size=4),
    body=hostile_bodies(BODY_MEMBERS),
)
def test_any_request_gets_the_familys_answer_and_a_refusal_stores_nothing(
    backend, records, operation, real, path_text, query, body
):
    method, path, _, _ = operation
    url = fill_path(path, identifiers_of(path, records, real, path_text))
    before = rows_everywhere()

    response = backend.generic(
        method,
        url,
        body if method in ("POST", "PUT", "PATCH") else "",
        content_type="application/json",
        QUERY_STRING=query_string(query),
    )

    event(f"{method} {path} {response.status_code}")
    assert_letters_answer(response)
    if response.status_code >= 400:
        assert rows_everywhere() == before, (method, url, json.loads(response.content))


@pytest.fixture
def valid_bodies():
    return {
        ("POST", "/backend/api/v1/customers/{id}/correspondence/"): LETTER,
        ("PATCH", "/backend/api/v1/correspondence/{id}"): {"content": {"subject": "Welcome back", "body": "Dear John"}},
        ("POST", "/backend/api/v1/correspondence/{id}"): {"email": ["jo@example.com"]},
    }


WRITES = sorted((method, path, body) for method, path, _, body in OPERATIONS if method in ("POST", "PATCH"))


@HOSTILE
@given(operation=st.sampled_from(WRITES), action=ACTIONS, data=st.data())
def test_a_valid_letter_bent_by_hostile_values_is_answered_and_a_refusal_stores_nothing(
    backend, records, valid_bodies, operation, action, data
):
    method, path, members = operation
    body = data.draw(mutations(valid_bodies[(method, path)], members))
    url = fill_path(path, identifiers_of(path, records, True, ""))
    before = rows_everywhere()

    response = backend.generic(
        method, url, body, content_type="application/json", QUERY_STRING=query_string({"action": action})
    )

    event(f"{method} {path} {action} {response.status_code}")
    assert_letters_answer(response)
    if response.status_code >= 400:
        assert rows_everywhere() == before, (method, url, body[:300], json.loads(response.content))
