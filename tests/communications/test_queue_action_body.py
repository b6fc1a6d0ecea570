"""A process or remove body that is plain text is read without the serializer, to the same values it would give;
anything else goes to the serializer, which words what it refuses. Whatever the body, the two never disagree."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communications.api.crm.fast_queue import plain_action
from communications.api.crm.serializers import QueueActionSerializer
from tests.fuzzing import FUZZ, hostile_values

MEMBERS = ["token", "fields_set", "communication_queue_identifier", "id", "number"]
texts = st.text(max_size=12) | st.sampled_from(["CM1", " 7 ", "", "  ", "\t7", "a\x00", "\ud800", "Ω"])
identifiers = st.dictionaries(st.sampled_from(["id", "number", "code"]), texts | hostile_values(), max_size=3)
bodies = st.fixed_dictionaries(
    {}, optional={"token": texts, "fields_set": texts, "communication_queue_identifier": identifiers | texts}
) | hostile_values(MEMBERS)


def as_the_serializer_reads(data):
    serializer = QueueActionSerializer(data=data)
    return json.loads(json.dumps(serializer.validated_data)) if serializer.is_valid() else None


@FUZZ
@given(bodies)
def test_the_plain_path_reads_what_the_serializer_reads(data):
    plain = plain_action(data)

    if plain is not None:
        assert plain == as_the_serializer_reads(data)


@pytest.mark.parametrize(
    "data",
    [
        {"communication_queue_identifier": {"number": " 7 "}},
        {"token": "key", "fields_set": "id,number", "communication_queue_identifier": {"id": "AB"}, "extra": 1},
        {"communication_queue_identifier": {}},
    ],
)
def test_a_plain_body_takes_the_plain_path(data):
    assert plain_action(data) == as_the_serializer_reads(data) is not None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"communication_queue_identifier": None},
        {"communication_queue_identifier": "number=7"},
        {"communication_queue_identifier": {"number": 7}},
        {"communication_queue_identifier": {"number": ""}},
        {"communication_queue_identifier": {"number": "7"}, "token": ""},
        {"communication_queue_identifier": {"number": "7"}, "fields_set": ["id"]},
        ["communication_queue_identifier"],
    ],
)
def test_anything_else_goes_to_the_serializer(data):
    assert plain_action(data) is None
