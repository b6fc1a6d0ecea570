"""Hypothesis against /publicinterface/jsonrpc: any body, seed 002's methods with every param they document given
hostile values, and valid calls bent by them. Whatever arrives: a JSON-RPC 2.0 answer, never a 5xx or an internal
error (-32603), and a refused call stores nothing."""

import base64
import json

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from postal.api.jsonrpc.methods import LETTER_MEMBERS, service
from postal.models import Letter
from tests.fuzzing import FUZZ, HOSTILE, LEAKS, hostile_bodies, hostile_values, json_values, mutations, rows_everywhere

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


# Seed 002's methods and the params each documents (a letter's members are upload_mailing's `letters` items).
DOCUMENTED_PARAMS = {
    "get_letter_status": ["account", "refs"],
    "recent_uploads": ["account", "limit"],
    "upload_mailing": ["account", "letters"],
    "cancel_letter": ["account", "ref"],
}
MEMBERS = sorted({*(p for params in DOCUMENTED_PARAMS.values() for p in params), *LETTER_MEMBERS})
hostile_calls = st.fixed_dictionaries(
    {"jsonrpc": st.just("2.0"), "method": st.sampled_from(sorted(DOCUMENTED_PARAMS))},
    optional={
        "params": st.dictionaries(st.sampled_from([*MEMBERS, "unknown_member"]), hostile_values(MEMBERS), max_size=4)
        | hostile_values(MEMBERS),
        "id": hostile_values(),
    },
)


def assert_rpc_response(response):
    assert response.status_code < 500, response.content
    assert not LEAKS.search(response.content.decode("utf-8", "replace")), response.content
    if response.status_code != 204:
        answer = response.json()
        for one in answer if isinstance(answer, list) else [answer]:
            assert_answer(one)
            assert one.get("error", {}).get("code") != -32603, one


def refused(response) -> bool:
    answer = response.json() if response.status_code != 204 else {}
    return any("error" in one for one in (answer if isinstance(answer, list) else [answer]))


@pytest.mark.django_db(transaction=True)
@HOSTILE
@given(call=hostile_calls | st.lists(hostile_calls, min_size=1, max_size=3), raw=hostile_bodies(MEMBERS))
def test_hostile_params_get_a_json_rpc_error_and_a_refusal_stores_nothing(jsonrpc, postal_account, call, raw):
    for body in (json.dumps(call, ensure_ascii=True), raw):
        before = rows_everywhere()

        response = jsonrpc.post(body)

        event(f"{response.status_code}")
        assert_rpc_response(response)
        if refused(response):
            assert rows_everywhere() == before, (body[:300], response.content[:300])


@pytest.fixture
def valid_calls(postal_account, make_mailing, pdf):
    make_mailing(postal_account, ["held-1", "held-2"])
    letter = {"ref": "new-1", "pdf": base64.b64encode(pdf).decode(), "transport": "EMAIL", "email": "jo@example.com"}
    return {
        "get_letter_status": {"account": "ABC12345", "refs": ["held-1", "unknown"]},
        "recent_uploads": {"account": "ABC12345", "limit": 5},
        "upload_mailing": {"account": "ABC12345", "letters": [letter]},
        "cancel_letter": {"account": "ABC12345", "ref": "held-2"},
    }


@pytest.mark.django_db(transaction=True)
@HOSTILE
@given(method=st.sampled_from(sorted(DOCUMENTED_PARAMS)), data=st.data())
def test_a_valid_call_bent_by_hostile_values_is_answered_and_a_refusal_stores_nothing(
    jsonrpc, valid_calls, method, data
):
    params = json.loads(data.draw(mutations(valid_calls[method], MEMBERS)))
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, ensure_ascii=True)
    before = rows_everywhere()

    response = jsonrpc.post(body)

    event(f"{method} {response.json().get('error', {}).get('code', 'result')}")
    assert_rpc_response(response)
    if refused(response):
        assert rows_everywhere() == before, (body[:300], response.json())
