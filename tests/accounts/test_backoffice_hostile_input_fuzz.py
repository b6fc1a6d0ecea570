"""Hypothesis against every operation of the back-office v2 family (seed 004) its OpenAPI schema documents: bodies and
query strings built from every parameter it names, with hostile values. Whatever arrives: never a 5xx, a refusal in
the family's error body, and a refused request stores nothing."""

import json
import re

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


@pytest.fixture
def valid_bodies(records, site_visit, contact):
    """A body each v2 write accepts, by (method, path), for the mutations to start from."""
    activity = {
        "name": "Call",
        "type_id": str(site_visit.id),
        "scheduled_on": {"from_date": 1592809457, "to_date": 1592813057},
        "linked_to": [{"type": "CONTACT", "id": str(contact.id)}],
    }
    return {
        ("POST", "/backoffice/v2/contacts"): {"first_name": "Jo", "last_name": "Smith", "email": "jo@example.com"},
        ("POST", "/backoffice/v2/contacts/{id}/accounts"): {"currency_code": "GBP"},
        ("POST", "/backoffice/v2/contacts/{id}/addresses"): {
            "address_type": "HOME",
            "address_line_1": "1 Main St",
            "country_code": "CYP",
        },
        ("PUT", "/backoffice/v2/accounts/{id}"): {"name": "Household"},
        ("POST", "/backoffice/v2/activities/"): activity,
        ("PUT", "/backoffice/v2/activities/{id}"): {"name": "Call again"},
        ("PUT", "/backoffice/v2/activities/{id}/tags"): {"tags": ["urgent"]},
        ("POST", "/backoffice/v2/activity_types"): {"name": "Visit"},
        ("POST", "/backoffice/v2/tags"): {"name": "urgent"},
        ("POST", "/backoffice/v2/insights"): {"name": "Letters sent"},
        ("PUT", "/backoffice/v2/insights/{id}"): {"name": "Letters posted"},
    }


VALID_BODY_OPERATIONS = {
    ("POST", "/backoffice/v2/contacts"),
    ("POST", "/backoffice/v2/contacts/{id}/accounts"),
    ("POST", "/backoffice/v2/contacts/{id}/addresses"),
    ("PUT", "/backoffice/v2/accounts/{id}"),
    ("POST", "/backoffice/v2/activities/"),
    ("PUT", "/backoffice/v2/activities/{id}"),
    ("PUT", "/backoffice/v2/activities/{id}/tags"),
    ("POST", "/backoffice/v2/activity_types"),
    ("POST", "/backoffice/v2/tags"),
    ("POST", "/backoffice/v2/insights"),
    ("PUT", "/backoffice/v2/insights/{id}"),
}
WRITES = sorted((method, path, body) for method, path, _, body in OPERATIONS if method in ("POST", "PUT", "PATCH"))


@HOSTILE
@given(operation=st.sampled_from([w for w in WRITES if (w[0], w[1]) in VALID_BODY_OPERATIONS]), data=st.data())
def test_a_valid_body_bent_by_hostile_values_is_answered_and_a_refusal_stores_nothing(
    backoffice, records, valid_bodies, operation, data
):
    method, path, members = operation
    body = data.draw(mutations(valid_bodies[(method, path)], members))
    url = fill_path(path, identifiers_of(path, records, True, ""))
    before = rows_everywhere()

    response = backoffice.generic(method, url, body, content_type="application/json")

    event(f"{method} {path} {response.status_code}")
    assert_v2_answer(response)
    if response.status_code >= 400:
        assert rows_everywhere() == before, (method, url, body[:300], json.loads(response.content))
