"""The polling allowance: repeats per reference per hour are counted in Redis; past the allowance a
request is refused whole, naming the references, never answered with some of them left out."""

import os

import pytest
import redis
import time_machine

from accounts.models import ApiKey
from postal import polling

pytestmark = pytest.mark.django_db

HOUR_START = 1_700_000_000 - 1_700_000_000 % 3600


@pytest.fixture(autouse=True)
def allowance(settings):
    settings.POSTAL_POLL_ALLOWANCE = 2


@pytest.fixture
def real_redis():
    if not os.environ.get("REDIS_URL"):
        pytest.fail("These tests count in a real Redis: set REDIS_URL (make test-postgres does).")
    return redis.Redis.from_url(os.environ["REDIS_URL"])


def status(caller, refs):
    return caller.call("get_letter_status", {"account": "ABC12345", "refs": refs})


def test_the_query_past_the_allowance_is_refused_naming_the_refs(jsonrpc, postal_account, make_mailing, real_redis):
    make_mailing(postal_account, ["myref1", "myref2"])
    with time_machine.travel(HOUR_START + 600, tick=False):
        assert status(jsonrpc, ["myref1"]).status_code == 200
        assert status(jsonrpc, ["myref1"]).status_code == 200

        response = status(jsonrpc, ["myref1", "myref2"])

    assert response.status_code == 429
    assert response["Retry-After"] == str(3600 - 600)
    error = response.json()["error"]
    assert error["code"] == -32029
    assert "myref1" in error["message"] and "once an hour" in error["message"]
    assert error["data"] == {"field": "refs", "refs": ["myref1"], "allowance": 2, "retry_after": 3000}
    assert response.json()["id"] == 1
    assert "result" not in response.json()


def test_other_refs_are_still_answered(jsonrpc, postal_account, make_mailing, real_redis):
    make_mailing(postal_account, ["myref1", "myref2"])
    with time_machine.travel(HOUR_START + 10, tick=False):
        for _ in range(3):
            status(jsonrpc, ["myref1"])

        response = status(jsonrpc, ["myref2"])

    assert response.status_code == 200
    assert response.json()["result"]["letters"][0]["ref"] == "myref2"


def test_the_next_hour_starts_a_new_count(jsonrpc, postal_account, make_mailing, real_redis):
    make_mailing(postal_account, ["myref1"])
    with time_machine.travel(HOUR_START + 3500, tick=False):
        for _ in range(3):
            status(jsonrpc, ["myref1"])
    with time_machine.travel(HOUR_START + 3600 + 5, tick=False):
        assert status(jsonrpc, ["myref1"]).status_code == 200


def test_each_caller_has_its_own_allowance(jsonrpc_as, postal_account, make_mailing, real_redis):
    make_mailing(postal_account, ["myref1"])
    eager, patient = jsonrpc_as(), jsonrpc_as()
    with time_machine.travel(HOUR_START + 10, tick=False):
        for _ in range(3):
            status(eager, ["myref1"])

        assert status(eager, ["myref1"]).status_code == 429
        assert status(patient, ["myref1"]).status_code == 200


def test_counts_live_in_redis_with_an_expiry(jsonrpc, postal_account, make_mailing, real_redis):
    make_mailing(postal_account, ["myref1"])
    with time_machine.travel(HOUR_START + 10, tick=False):
        status(jsonrpc, ["myref1", "myref2"])

    caller = ApiKey.objects.get().pk
    (key,) = list(real_redis.scan_iter(f"postal:polls:{caller}:*"))
    assert real_redis.hgetall(key) == {b"myref1": b"1", b"myref2": b"1"}
    assert 0 < real_redis.ttl(key) <= 3660


def test_five_thousand_refs_cost_one_round_trip(jsonrpc, postal_account, real_redis, monkeypatch, settings):
    # The allowance's own round trips: the key's rate limit takes one more of its own (tests/accounts).
    settings.RATE_LIMIT_REDIS_URL = ""
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting_send(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting_send)
    status(jsonrpc, ["warm-up"])
    sent.clear()

    response = status(jsonrpc, [f"ref{n}" for n in range(5000)])

    assert response.status_code == 200
    assert len(sent) == 1
    (key,) = list(real_redis.scan_iter(f"postal:polls:{ApiKey.objects.get().pk}:*"))
    assert real_redis.hlen(key) == 5001


def test_an_unreachable_redis_does_not_stop_status_queries(jsonrpc, postal_account, make_mailing, settings):
    settings.POSTAL_POLL_REDIS_URL = "redis://127.0.0.1:1/0"
    polling._counter_for.cache_clear()
    make_mailing(postal_account, ["myref1"])

    for _ in range(4):
        response = status(jsonrpc, ["myref1"])

    assert response.status_code == 200


def test_without_redis_the_counts_live_in_the_cache(jsonrpc, postal_account, make_mailing, settings):
    settings.POSTAL_POLL_REDIS_URL = ""
    polling._counter_for.cache_clear()
    make_mailing(postal_account, ["myref1"])
    with time_machine.travel(HOUR_START + 10, tick=False):
        codes = [status(jsonrpc, ["myref1"]).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
