"""Hypothesis against every method and parameter of the CRM.COM family's schema (seed 003): identifiers, paging and
fields_set in queries, any JSON and hostile values (wrong types, edge numbers and dates, bad characters, deep
nesting, 10 MB strings, unknown members) in bodies and queries. Whatever arrives: the family's envelope, never a
5xx, nothing stored or half-written by a refusal."""

import json

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from communications.models import Communication, QueueEntry
from tests.fuzzing import (
    FUZZ,
    HOSTILE,
    LEAKS,
    hostile_bodies,
    hostile_query_values,
    json_values,
    mutations,
    query_string,
    query_text,
    rows_everywhere,
    schema_operations,
)

pytestmark = pytest.mark.django_db

# Every method and parameter the family's OpenAPI schema documents, as integrators read them.
OPERATIONS = schema_operations("/crmapi/rest/v2/communications/")
READS = sorted(path.removeprefix("/crmapi/rest/v2/") for method, path, _, _ in OPERATIONS if method == "GET")
WRITES = sorted(path.removeprefix("/crmapi/rest/v2/") for method, path, _, _ in OPERATIONS if method == "POST")
QUERY_PARAMETERS = sorted({name for _, _, query, _ in OPERATIONS for name in query} - {"token"})
BODY_FIELDS = sorted({name for _, _, _, body in OPERATIONS for name in body} - {"token"})
identifiers = st.fixed_dictionaries({}, optional={"id": json_values, "number": json_values, "code": json_values})
bodies = st.dictionaries(st.sampled_from(BODY_FIELDS), identifiers | json_values, max_size=6) | json_values


def assert_enveloped(response):
    assert response.status_code < 500, response.content
    assert not LEAKS.search(response.content.decode()), response.content
    body = response.json()
    assert set(body) == {"status", "data"}, body
    assert body["status"]["code"] == ("OK" if response.status_code == 200 else body["status"]["code"])
    if response.status_code != 200:
        assert body["status"]["code"] != "OK" and body["status"]["message"] and body["data"] is None, body


def state_of_the_records():
    return (
        sorted(Communication.objects.values_list("number", "state", "viewed_on", "subject")),
        sorted(QueueEntry.objects.values_list("number", "state")),
    )


@pytest.fixture
def records(contact):
    from communications.services import communications

    communications.create_communication(
        is_test=False, contact=contact, direction="INCOMING", media="PHONE", subject="Held", content="A call."
    )


@FUZZ
@given(method=st.sampled_from(READS), query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), query_text, max_size=5))
def test_any_query_gets_the_envelope(crm, records, method, query):
    before = state_of_the_records()

    assert_enveloped(crm.get(method, **query))

    assert state_of_the_records() == before


@FUZZ
@given(method=st.sampled_from(WRITES), body=bodies)
def test_any_body_gets_the_envelope_and_a_refusal_changes_nothing(crm, records, method, body):
    before = state_of_the_records()

    # The token may ride in the query, so a body that is not an object still reaches the parsing.
    url = f"/crmapi/rest/v2/{method}?token={crm.token}"
    response = crm.client.generic("POST", url, json.dumps(body), content_type="application/json")

    assert_enveloped(response)
    if response.status_code != 200:
        assert state_of_the_records() == before


@pytest.mark.django_db(transaction=True)
@HOSTILE
@given(
    operation=st.sampled_from(OPERATIONS),
    query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), hostile_query_values, max_size=4),
    body=hostile_bodies(BODY_FIELDS),
)
def test_hostile_values_get_the_envelope_and_a_refusal_stores_nothing(crm, records, operation, query, body):
    method, path, _, _ = operation
    before = rows_everywhere()

    response = crm.client.generic(
        method,
        path,
        body if method == "POST" else "",
        content_type="application/json",
        QUERY_STRING=query_string({"token": crm.token, **query}),
    )

    assert_enveloped(response)
    if response.status_code != 200:
        assert rows_everywhere() == before, (path, response.json())


@pytest.fixture
def valid_bodies(crm, contact, make_communication, make_queue_entry):
    """A body each write method accepts, for the mutations to start from."""
    draft = make_communication(state="DRAFT")
    entry = make_queue_entry()
    return {
        "communications/create": {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Call",
            "content": "A call.",
        },
        "communications/update": {"communication_identifier": {"number": draft.number}, "subject": "New subject"},
        "communications/complete": {"communication_identifier": {"number": draft.number}},
        "communications/set_as_viewed": {"communication_identifier": {"number": draft.number}},
        "communications/queue/process": {"communication_queue_identifier": {"number": entry.number}},
        "communications/queue/reject": {
            "communication_queue_identifier": {"number": entry.number},
            "error_code": "01",
            "error_description": "Not configured.",
        },
        "communications/queue/remove": {"communication_queue_identifier": {"number": entry.number}},
    }


@pytest.mark.django_db(transaction=True)
@HOSTILE
@given(method=st.sampled_from(WRITES), data=st.data())
def test_a_valid_body_bent_by_hostile_values_is_answered_and_a_refusal_stores_nothing(crm, valid_bodies, method, data):
    body = data.draw(mutations(valid_bodies[method], BODY_FIELDS))
    before = rows_everywhere()

    response = crm.client.generic(
        "POST", f"/crmapi/rest/v2/{method}?token={crm.token}", body, content_type="application/json"
    )

    event(f"{method} {response.status_code}")
    assert_enveloped(response)
    if response.status_code != 200:
        assert rows_everywhere() == before, (method, body[:300], response.json())
