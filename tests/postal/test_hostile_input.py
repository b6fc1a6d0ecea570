"""Input no client should send, answered as JSON-RPC errors, never -32603 or a 500: a lone surrogate in a param, a
body nested 100,000 deep."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_lone_surrogate_ref_is_invalid_params(jsonrpc, postal_account):
    body = (
        '{"jsonrpc": "2.0", "id": 1, "method": "get_letter_status", '
        f'"params": {{"account": "{postal_account.code}", "refs": ["\\ud800"]}}}}'
    )

    response = jsonrpc.post(body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32602
    assert response.json()["error"]["data"] == {"field": "refs"}
    assert response.json()["id"] == 1


@pytest.mark.parametrize(
    ("method", "other"),
    [("get_letter_status", '"refs": []'), ("recent_uploads", '"limit": 1'), ("cancel_letter", '"ref": "r"')],
)
def test_a_lone_surrogate_account_is_invalid_params(jsonrpc, method, other):
    body = f'{{"jsonrpc": "2.0", "id": 7, "method": "{method}", "params": {{"account": "A\\udfff", {other}}}}}'

    response = jsonrpc.post(body)

    answer = response.json()
    assert answer["error"]["code"] == -32602, answer
    assert answer["error"]["data"] == {"field": "account"}
    assert "account holds a lone surrogate" in answer["error"]["message"]


def test_a_body_nested_100000_deep_is_a_parse_error(jsonrpc):
    response = jsonrpc.post('{"a":' * 100_000 + "1" + "}" * 100_000)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700
    assert response.json()["error"]["message"] == "Parse error: the body is not JSON (it is nested too deeply)."
