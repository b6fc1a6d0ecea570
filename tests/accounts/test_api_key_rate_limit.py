"""Each API key may make so many requests a minute (its own limit, or the default); past it every family answers
429 in its own error body with Retry-After, and nothing is done. Counted in Redis; without Redis, no limit."""

import uuid
from datetime import UTC, datetime

import pytest
import redis
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from accounts import key_cache
from accounts.models import ApiKey
from communications.models import Communication
from tests.clients import AltinnClient, BackendClient, BackofficeClient, CrmClient, JsonRpcClient
from tests.processes import free_port

pytestmark = pytest.mark.django_db

# 10 s into a minute: the window has 50 s to go, whatever the clock says when the test runs.
INTO_A_MINUTE = datetime(2026, 3, 2, 9, 15, 10, tzinfo=UTC)
needs_redis = pytest.mark.skipif(not django_settings.RATE_LIMIT_REDIS_URL, reason="the limit is counted in Redis")


def v2(key, contact=None):
    return BackofficeClient(key).get("/backoffice/v2/contacts")


def crm(key, contact):
    return CrmClient(key).get("communications/list", contact_information_identifier=f"id={contact.id.hex.upper()}")


def letters(key, contact=None):
    return BackendClient(key).get("/backend/api/v1/correspondence/")


def altinn(key, contact=None):
    return AltinnClient(key).get(f"/correspondence/api/v1/correspondence/{uuid.uuid4()}")


def jsonrpc(key, contact=None):
    return JsonRpcClient(key).call("recent_uploads", {"account": "ABC12345", "limit": 1}, id=7)


def v2_body(body):
    assert body["status"] == 429
    assert body["error"] == "CRM.EXCEPTIONS.TOOMANYREQUESTSEXCEPTION"
    assert body["message"] == "This API key may make 2 requests a minute; try again in 50 s."
    assert body["parameters"] == ["requests_per_minute", "2"]


def crm_body(body):
    assert body["status"] == {
        "code": "TOO_MANY_REQUESTS",
        "message": "This API key may make 2 requests a minute; try again in 50 s.",
        "description": "requests_per_minute, 2",
    }
    assert body["data"] is None


def letters_body(body):
    assert body == {
        "error": "Too Many Requests",
        "error_code": 429001,
        "hint": "This API key may make 2 requests a minute; try again in 50 s.",
    }


def altinn_body(body):
    assert body["type"] == "https://tools.ietf.org/html/rfc6585#section-4"
    assert body["title"] == "Too Many Requests"
    assert body["status"] == 429
    assert body["detail"] == "This API key may make 2 requests a minute; try again in 50 s."


def jsonrpc_body(body):
    assert body == {
        "jsonrpc": "2.0",
        "error": {
            "code": -32029,
            "message": "This API key may make 2 requests a minute; try again in 50 s.",
            "data": {"retry_after": 50, "limit": 2},
        },
        "id": None,
    }


FAMILIES = {
    "backoffice-v2": (v2, v2_body, "application/json"),
    "crm": (crm, crm_body, "application/json"),
    "letters": (letters, letters_body, "application/json"),
    "altinn": (altinn, altinn_body, "application/problem+json"),
    "jsonrpc": (jsonrpc, jsonrpc_body, "application/json"),
}


@needs_redis
@pytest.mark.parametrize("family", FAMILIES)
def test_past_its_limit_a_key_gets_429_in_the_family_body(family, make_api_key, postal_account, contact):
    call, check_body, content_type = FAMILIES[family]
    key = make_api_key(postal_accounts=["ABC12345"], requests_per_minute=2)

    with time_machine.travel(INTO_A_MINUTE, tick=False):
        answers = [call(key, contact) for _ in range(3)]

    # Altinn's GET of an unknown correspondence is 404 within the limit: every request counts, found or not.
    assert [a.status_code for a in answers[:2]] == [404 if family == "altinn" else 200] * 2
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert refused["Content-Type"].startswith(content_type)
    check_body(refused.json())


@needs_redis
def test_the_default_limit_applies_to_a_key_without_its_own(api_key, settings):
    settings.API_KEY_REQUESTS_PER_MINUTE = 3

    with time_machine.travel(INTO_A_MINUTE, tick=False):
        statuses = [v2(api_key).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


@needs_redis
def test_a_refused_write_changes_nothing(make_api_key, contact):
    client = CrmClient(make_api_key(requests_per_minute=1))
    body = {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Call",
        "content": "Asked about the bill.",
    }

    with time_machine.travel(INTO_A_MINUTE, tick=False):
        first = client.post("communications/create", body)
        second = client.post("communications/create", body)

    assert (first.status_code, second.status_code) == (200, 429)
    assert Communication.objects.count() == 1


@needs_redis
def test_the_next_minute_the_key_may_call_again_and_other_keys_never_waited(make_api_key):
    busy, other = make_api_key(requests_per_minute=1), make_api_key(requests_per_minute=1)

    with time_machine.travel(INTO_A_MINUTE, tick=False) as clock:
        assert [v2(busy).status_code for _ in range(2)] == [200, 429]
        assert v2(other).status_code == 200
        clock.shift(50)
        assert v2(busy).status_code == 200


@needs_redis
def test_one_redis_round_trip_counts_the_request(make_api_key):
    key = make_api_key(requests_per_minute=5)
    client = redis.Redis.from_url(django_settings.RATE_LIMIT_REDIS_URL)

    with time_machine.travel(INTO_A_MINUTE, tick=False):
        v2(key)
        v2(key)

    (counter,) = [name for name in client.scan_iter("ratelimit:apikey:*") if key_id(key) in name.decode()]
    assert client.get(counter) == b"2"
    assert 0 < client.ttl(counter) <= 65


def key_id(raw_key: str) -> str:
    from accounts.models import ApiKey

    return str(ApiKey.objects.get(hashed_key=ApiKey.hash(raw_key)).pk)


@needs_redis
def test_a_user_logged_in_with_a_token_is_not_limited_as_a_key(anonymous, django_user_model, settings, contact):
    settings.API_KEY_REQUESTS_PER_MINUTE = 1
    django_user_model.objects.create_user("operator", password="correct horse")
    login = anonymous.post(
        "/crmapi/rest/v2/authentication/login", {"username": "operator", "password": "correct horse"}, format="json"
    )
    token = login.json()["data"]["token"]

    with time_machine.travel(INTO_A_MINUTE, tick=False):
        statuses = [crm(token, contact).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


@needs_redis
def test_while_redis_is_down_requests_go_on_unlimited(make_api_key, settings, caplog):
    settings.RATE_LIMIT_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    key = make_api_key(requests_per_minute=1)

    statuses = [v2(key).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert "accounts.rate_limit_unavailable" in caplog.text


@needs_redis
def test_with_the_limit_switched_off_nothing_is_counted_and_a_revoke_still_reaches_the_next_request(
    make_api_key, settings
):
    settings.API_KEY_RATE_LIMIT = False
    key = make_api_key(requests_per_minute=1)
    client = redis.Redis.from_url(django_settings.RATE_LIMIT_REDIS_URL)

    with time_machine.travel(INTO_A_MINUTE, tick=False):
        statuses = [v2(key).status_code for _ in range(3)]
        ApiKey.objects.update(revoked_on=timezone.now())  # by another process, which tells this one through Redis
        client.incr(key_cache.VERSION_KEY)
        revoked = v2(key).status_code

    assert statuses == [200, 200, 200] and revoked == 401
    assert not [name for name in client.scan_iter("ratelimit:apikey:*") if key_id(key) in name.decode()]


@pytest.mark.embedded
def test_without_redis_keys_have_no_limit(make_api_key):
    key = make_api_key(requests_per_minute=1)

    assert [v2(key).status_code for _ in range(5)] == [200] * 5
