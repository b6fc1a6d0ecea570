"""A key is looked up once and then kept by the process (accounts/key_cache.py); any change to a key (revoked,
scopes edited, deleted) is seen by the next request, in this process at once and in the others through the
version in Redis; without Redis a kept key is looked up again after API_KEY_CACHE_SECONDS."""

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import key_cache, services
from accounts.models import ApiKey
from tests.clients import BackofficeClient

pytestmark = pytest.mark.django_db

needs_redis = pytest.mark.skipif(not django_settings.RATE_LIMIT_REDIS_URL, reason="the version is kept in Redis")


def the_key(raw: str) -> ApiKey:
    return ApiKey.objects.get(hashed_key=ApiKey.hash(raw))


def key_lookups(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, sum('FROM "accounts_apikey"' in query["sql"] for query in captured.captured_queries)


def test_a_key_is_looked_up_once_then_kept(api_key, contact):
    client = BackofficeClient(api_key)
    url = f"/backoffice/v2/contacts/{contact.id}"

    assert key_lookups(client, url) == (200, 1)
    assert key_lookups(client, url) == (200, 0)
    assert the_key(api_key).last_used_on is not None


def test_a_revoked_key_is_refused_with_the_next_request(api_key, contact):
    client = BackofficeClient(api_key)
    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 200

    services.revoke_api_key(the_key(api_key))

    response = client.get(f"/backoffice/v2/contacts/{contact.id}")
    assert response.status_code == 401
    assert response.json()["error"] == "CRM.EXCEPTIONS.UNAUTHORIZEDEXCEPTION"


def test_scopes_edited_in_the_back_office_apply_to_the_next_request(api_key, contact):
    client = BackofficeClient(api_key)
    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 200
    key = the_key(api_key)

    key.scopes = ["communications.read"]
    key.save()

    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 403


@needs_redis
def test_a_revoke_in_another_process_is_seen_through_redis(api_key, contact):
    client = BackofficeClient(api_key)
    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 200

    # Another process revokes it: this one hears of it only through the version in Redis.
    ApiKey.objects.update(revoked_on=timezone.now())
    redis.Redis.from_url(django_settings.RATE_LIMIT_REDIS_URL).incr(key_cache.VERSION_KEY)

    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 401


def test_without_redis_a_kept_key_is_looked_up_again_after_the_cache_seconds(api_key, contact, settings, monkeypatch):
    settings.RATE_LIMIT_REDIS_URL = ""
    client = BackofficeClient(api_key)
    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 200
    ApiKey.objects.update(revoked_on=timezone.now())  # by another process, which cannot tell this one

    later = key_cache.time.monotonic() + settings.API_KEY_CACHE_SECONDS + 1
    monkeypatch.setattr(key_cache.time, "monotonic", lambda: later)

    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 401


def test_with_no_cache_seconds_every_request_looks_the_key_up(api_key, contact, settings):
    settings.API_KEY_CACHE_SECONDS = 0
    client = BackofficeClient(api_key)
    url = f"/backoffice/v2/contacts/{contact.id}"

    assert key_lookups(client, url) == (200, 1)
    assert key_lookups(client, url) == (200, 1)


@needs_redis
def test_a_kept_key_is_checked_and_counted_in_one_round_trip_to_redis(api_key, contact, monkeypatch):
    client = BackofficeClient(api_key)
    url = f"/backoffice/v2/contacts/{contact.id}"
    assert client.get(url).status_code == 200
    sent = []
    send = redis.Connection.send_packed_command
    monkeypatch.setattr(
        redis.Connection, "send_packed_command", lambda self, *a, **k: sent.append(1) or send(self, *a, **k)
    )

    assert client.get(url).status_code == 200

    assert len(sent) == 1
