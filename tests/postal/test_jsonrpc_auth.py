"""Who may call the letter-status service: a Bearer API key with the postal scopes."""

import pytest
from django.utils import timezone

from accounts.models import ApiKey
from postal.models import Letter
from tests.clients import JsonRpcClient

pytestmark = pytest.mark.django_db

STATUS = {"account": "ABC12345", "refs": ["myref1"]}


def test_no_key_is_401_with_a_jsonrpc_error(postal_account):
    response = JsonRpcClient(None).call("get_letter_status", STATUS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="postal"'
    body = response.json()
    assert body["jsonrpc"] == "2.0" and body["id"] is None
    assert body["error"]["code"] == -32001
    assert "Authorization: Bearer" in body["error"]["message"]


def test_an_unknown_key_is_401(postal_account):
    response = JsonRpcClient("ck_live_not-a-key").call("get_letter_status", STATUS)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == -32001


def test_a_revoked_key_is_401(jsonrpc):
    ApiKey.objects.update(revoked_on=timezone.now())
    assert jsonrpc.call("get_letter_status", STATUS).status_code == 401


def test_a_key_without_postal_scopes_is_403(jsonrpc_as, postal_account):
    response = jsonrpc_as("backoffice.read", "backoffice.write").call("get_letter_status", STATUS)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == -32003


def test_a_read_key_cannot_write(jsonrpc_as, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    reader = jsonrpc_as("postal.read")

    assert reader.call("get_letter_status", STATUS).status_code == 200
    response = reader.call("cancel_letter", {"account": "ABC12345", "ref": "myref1"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == -32003
    assert "postal.write" in response.json()["error"]["message"]
    assert response.json()["id"] == 1
    assert Letter.objects.get().status == "Received"


def test_a_write_key_cannot_read(jsonrpc_as, postal_account):
    response = jsonrpc_as("postal.write").call("recent_uploads", {"account": "ABC12345"})
    assert response.status_code == 403


def test_a_batch_answers_a_missing_scope_per_call(jsonrpc_as, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    batch = [
        {"jsonrpc": "2.0", "method": "get_letter_status", "params": STATUS, "id": 1},
        {"jsonrpc": "2.0", "method": "cancel_letter", "params": {"account": "ABC12345", "ref": "myref1"}, "id": 2},
    ]

    response = jsonrpc_as("postal.read").post(batch)

    assert response.status_code == 200
    first, second = response.json()
    assert "result" in first
    assert second["error"]["code"] == -32003


def test_a_bearer_jwt_or_other_scheme_is_not_a_key(postal_account):
    caller = JsonRpcClient(None)
    caller.client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert caller.call("get_letter_status", STATUS).status_code == 401
