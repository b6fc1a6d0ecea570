"""The answer's members come in seed 002's order, `jsonrpc`, `id`, `result` (an error object: `jsonrpc`, `id`,
`error`), as the raw bytes show them: clients that compare text or read as a stream see the seed's shape."""

import json

import pytest

pytestmark = pytest.mark.django_db


def members(raw: bytes) -> list[str]:
    return list(json.loads(raw))


def test_a_result_is_jsonrpc_id_result(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    response = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["myref1"]}, id=1)

    assert response.status_code == 200
    assert members(response.content) == ["jsonrpc", "id", "result"]
    assert response.content.startswith(b'{"jsonrpc":"2.0","id":1,"result":{"letters":[')


def test_an_error_is_jsonrpc_id_error(jsonrpc, postal_account):
    response = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": "myref1"}, id="x")

    assert response.status_code == 400
    assert members(response.content) == ["jsonrpc", "id", "error"]
    assert json.loads(response.content)["id"] == "x"


def test_an_unreadable_body_is_jsonrpc_id_error(jsonrpc):
    response = jsonrpc.post("{not json", content_type="application/json")

    assert members(response.content) == ["jsonrpc", "id", "error"]
    assert json.loads(response.content)["error"]["code"] == -32700


def test_each_answer_of_a_batch_is_in_that_order(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    batch = [
        {"jsonrpc": "2.0", "method": "recent_uploads", "params": {"account": "ABC12345"}, "id": 7},
        {"jsonrpc": "2.0", "method": "no_such_method", "id": "c"},
    ]

    response = jsonrpc.post(batch)

    answers = json.loads(response.content)
    assert [list(answer) for answer in answers] == [["jsonrpc", "id", "result"], ["jsonrpc", "id", "error"]]
