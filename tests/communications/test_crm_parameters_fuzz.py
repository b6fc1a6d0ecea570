"""Hypothesis against the CRM.COM-style parameters: identifiers, paging and fields_set in queries, and any JSON
body to the writing methods. Whatever arrives: the family's envelope, never a 5xx, nothing half-written."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communications.models import Communication, QueueEntry
from tests.fuzzing import FUZZ, LEAKS, json_values, query_text

pytestmark = pytest.mark.django_db

READS = [
    "communications/show",
    "communications/list",
    "communications/queue/show",
    "communications/queue/list",
    "communications/queue/get_latest",
]
WRITES = [
    "communications/create",
    "communications/update",
    "communications/complete",
    "communications/set_as_viewed",
    "communications/queue/process",
    "communications/queue/reject",
    "communications/queue/remove",
]
QUERY_PARAMETERS = [
    "communication_identifier",
    "contact_information_identifier",
    "category_identifier",
    "communication_queue_identifier",
    "communication_queue_external_system_identifier",
    "number_of_results",
    "offset",
    "fields_set",
    "direction",
    "media",
    "life_cycle_state",
]
BODY_FIELDS = [
    "communication_identifier",
    "contact_information_identifier",
    "communication_queue_identifier",
    "template_identifier",
    "category_identifier",
    "direction",
    "media",
    "subject",
    "content",
    "to",
    "life_cycle_state",
    "referring_to",
    "unrestricted_parameter_set",
    "viewed_on",
    "error_code",
    "error_description",
    "udf_date_1",
    "udf_float_1",
    "fields_set",
]
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
