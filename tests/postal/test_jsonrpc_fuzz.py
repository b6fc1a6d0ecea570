"""Hypothesis against /publicinterface/jsonrpc: whatever arrives, a JSON-RPC 2.0 answer, never a 5xx, no change."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postal.api.jsonrpc.methods import service
from postal.models import Letter
from tests.fuzzing import FUZZ, LEAKS, json_values

pytestmark = pytest.mark.django_db

methods = st.sampled_from([*service.methods, "", "jsonrpc.discover", "__init__", "no_such_method"]) | st.text(
    max_size=20
)
# Parameters shaped like the real ones (so fuzzing reaches the methods' own checks), or anything at all.
params = (
    st.fixed_dictionaries(
        {},
        optional={
            "account": st.sampled_from(["ABC12345", "XYZ00001", ""]) | json_values,
            "refs": st.lists(st.text(max_size=12), max_size=3) | json_values,
            "ref": st.text(max_size=12) | json_values,
            "limit": st.integers() | json_values,
            "letters": st.lists(st.dictionaries(st.sampled_from(["ref", "pdf", "postage"]), json_values)) | json_values,
        },
    )
    | st.lists(json_values, max_size=3)
    | json_values
)
calls = st.fixed_dictionaries(
    {"method": methods},
    optional={
        "jsonrpc": st.just("2.0") | json_values,
        "params": params,
        "id": st.none() | st.integers() | st.text(max_size=8) | json_values,
    },
)
bodies = (
    calls.map(json.dumps)
    | st.lists(calls, max_size=3).map(json.dumps)
    | json_values.map(json.dumps)
    | st.binary(max_size=80)
)


def assert_answer(answer):
    assert answer.get("jsonrpc") == "2.0", answer
    assert ("result" in answer) != ("error" in answer), answer
    if "error" in answer:
        assert isinstance(answer["error"]["code"], int) and isinstance(answer["error"]["message"], str), answer


@pytest.fixture
def letter(make_mailing, postal_account):
    make_mailing(postal_account, ["fuzz-held"])
    return Letter.objects.get(ref="fuzz-held")


@FUZZ
@given(body=bodies)
def test_any_body_gets_a_json_rpc_answer_and_changes_nothing(jsonrpc, letter, body):
    response = jsonrpc.post(body)

    assert response.status_code < 500, response.content
    assert not LEAKS.search(response.content.decode("utf-8", "replace")), response.content
    if response.status_code != 204:
        answer = response.json()
        for one in answer if isinstance(answer, list) else [answer]:
            assert_answer(one)
    # Random bytes never make a PDF, and no generated ref names the letter held: nothing may change.
    assert list(Letter.objects.values_list("ref", "status")) == [("fuzz-held", letter.status)]
