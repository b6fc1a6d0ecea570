"""JSON-RPC 2.0 itself at /publicinterface/jsonrpc: batches, notifications, the standard errors, leniency."""

import json

import pytest

from postal.models import Letter

pytestmark = pytest.mark.django_db

STATUS = {"jsonrpc": "2.0", "method": "get_letter_status", "params": {"account": "ABC12345", "refs": ["myref1"]}}


def test_a_batch_answers_each_call_with_its_id(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    batch = [
        {**STATUS, "id": "a"},
        {"jsonrpc": "2.0", "method": "recent_uploads", "params": {"account": "ABC12345"}, "id": 7},
        {"jsonrpc": "2.0", "method": "no_such_method", "id": "c"},
    ]

    response = jsonrpc.post(batch)

    assert response.status_code == 200
    answers = {answer["id"]: answer for answer in response.json()}
    assert answers["a"]["result"]["letters"][0]["status"] == "Received"
    assert answers[7]["result"][0]["letters"] == [{"reference": "myref1", "idx": 1}]
    assert answers["c"]["error"]["code"] == -32601


def test_notifications_get_no_answer_but_still_run(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    cancel = {"jsonrpc": "2.0", "method": "cancel_letter", "params": {"account": "ABC12345", "ref": "myref1"}}

    response = jsonrpc.post(cancel)

    assert response.status_code == 204
    assert response.content == b""
    assert Letter.objects.get(ref="myref1").status == "Cancelled"


def test_a_batch_of_notifications_gets_no_answer(jsonrpc):
    response = jsonrpc.post([STATUS, STATUS])
    assert response.status_code == 204 and response.content == b""


def test_notifications_are_left_out_of_a_batch_answer(jsonrpc):
    response = jsonrpc.post([STATUS, {**STATUS, "id": 2}])
    assert [answer["id"] for answer in response.json()] == [2]


def test_a_body_that_is_not_json_is_a_parse_error(jsonrpc):
    response = jsonrpc.post('{"jsonrpc": "2.0", "method": "get_letter_status", "params": ["ABC12345"')

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == -32700
    assert body["id"] is None and body["jsonrpc"] == "2.0"


@pytest.mark.parametrize(
    "body",
    [
        '{"jsonrpc": "2.0", "method": 1, "params": "bar", "id": 1}',
        '{"jsonrpc": "1.0", "method": "get_letter_status", "id": 1}',
        '{"method": "get_letter_status", "id": 1}',
        '{"jsonrpc": "2.0", "method": "get_letter_status", "params": 5, "id": 1}',
        '{"jsonrpc": "2.0", "method": "get_letter_status", "id": true}',
        '"get_letter_status"',
        "[]",
    ],
)
def test_a_call_that_is_not_a_request_object_is_an_invalid_request(jsonrpc, body):
    response = jsonrpc.post(body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600
    assert response.json()["id"] is None


def test_each_element_of_an_invalid_batch_is_answered(jsonrpc):
    response = jsonrpc.post("[1, 2, 3]")

    assert response.status_code == 200
    assert [answer["error"]["code"] for answer in response.json()] == [-32600, -32600, -32600]


def test_a_bad_element_does_not_spoil_the_rest_of_the_batch(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    response = jsonrpc.post([{**STATUS, "id": 1}, {"foo": "boo"}, {**STATUS, "id": 2}])

    codes = [answer.get("error", {}).get("code") for answer in response.json()]
    assert codes == [None, -32600, None]


def test_an_unknown_method_is_method_not_found(jsonrpc):
    response = jsonrpc.call("get_letter_stats", {"account": "ABC12345"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32601
    assert response.json()["id"] == 1


def test_trailing_commas_and_text_json_as_in_the_seed(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    body = (
        '{"jsonrpc": "2.0", "method": "get_letter_status", "id": 1,\n'
        '"params": {"account": "ABC12345", "refs": ["myref1",],},}'
    )

    response = jsonrpc.post(body, content_type="text/json")

    assert response.status_code == 200
    assert response.json()["result"]["letters"][0]["ref"] == "myref1"


def test_json_rpc_is_read_as_jsonrpc(jsonrpc):
    body = {"json_rpc": "2.0", "id": 3, "method": "recent_uploads", "params": {"account": "ABC12345"}}

    response = jsonrpc.post(body)

    assert response.json() == {"jsonrpc": "2.0", "result": [], "id": 3}


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "text/json"])
def test_json_content_types_are_accepted(jsonrpc, content_type):
    response = jsonrpc.post(json.dumps({**STATUS, "id": 1}), content_type=content_type)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_other_content_types_are_415_in_the_jsonrpc_body(jsonrpc):
    response = jsonrpc.post(json.dumps({**STATUS, "id": 1}), content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == -32600


def test_get_is_405(jsonrpc):
    response = jsonrpc.client.get("/publicinterface/jsonrpc")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == -32600


def test_an_oversized_body_is_413_and_not_read(jsonrpc, settings):
    settings.POSTAL_MAX_REQUEST_BYTES = 1000

    response = jsonrpc.post({**STATUS, "id": 1, "params": {"account": "ABC12345", "refs": ["x" * 50] * 100}})

    assert response.status_code == 413
    assert response.json()["error"]["code"] == -32600


def test_a_trailing_slash_is_the_same_endpoint(jsonrpc):
    response = jsonrpc.client.generic(
        "POST", "/publicinterface/jsonrpc/", json.dumps({**STATUS, "id": 1}), content_type="application/json"
    )
    assert response.status_code == 200


def test_other_paths_under_the_prefix_answer_in_the_jsonrpc_body(jsonrpc):
    response = jsonrpc.client.post("/publicinterface/xmlrpc", "{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32600


def test_deeply_nested_json_is_a_parse_error_not_a_crash(jsonrpc):
    response = jsonrpc.post("[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700


def test_a_batch_over_one_hundred_calls_is_refused(jsonrpc):
    response = jsonrpc.post([{**STATUS, "id": n} for n in range(101)])

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600


def test_a_database_outage_is_503_in_the_jsonrpc_body(jsonrpc, monkeypatch):
    from django.db import OperationalError

    def unavailable(raw_key):
        raise OperationalError("connection refused")

    monkeypatch.setattr("accounts.authentication.credential_for_api_key", unavailable)

    response = jsonrpc.post({**STATUS, "id": 1})

    assert response.status_code == 503
    assert response.json()["error"]["code"] == -32050


def test_an_id_beyond_64_bits_is_echoed_exactly(jsonrpc):
    huge = 2**70

    response = jsonrpc.post(f'{{"jsonrpc": "2.0", "method": "no_such_method", "id": {huge}}}')

    assert response.status_code == 404
    assert json.loads(response.content)["id"] == huge
