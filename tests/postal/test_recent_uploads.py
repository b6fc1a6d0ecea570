"""recent_uploads: the seed's example, newest first, limit default 100 and at most 100."""

import pytest
import time_machine

from postal.models import Mailing

pytestmark = pytest.mark.django_db

# Seed 002's query, `json_rpc` member and all; the seed's account ABC01234 is bound to the key.
SEED_QUERY = """{
"json_rpc": "2.0",
"id": 1,
"method": "recent_uploads",
"params": {
"account": "ABC01234",
"limit": 2
}
}"""


@pytest.fixture
def seed_account(db):
    from postal.models import PostalAccount

    return PostalAccount.objects.create(code="ABC01234", name="Seed customer")


def test_the_seed_example_answers_as_the_seed_shows(jsonrpc_as, seed_account, make_mailing, settings):
    settings.POSTAL_TIME_ZONE = "Australia/Sydney"
    with time_machine.travel(1437690000, tick=False):
        make_mailing(seed_account, ["oldest"])
    with time_machine.travel(1437690916, tick=False):
        older = make_mailing(seed_account, ["10718814"])
    with time_machine.travel(1437691161, tick=False):
        newer = make_mailing(seed_account, ["987654", "1234567"])

    response = jsonrpc_as(postal_accounts=("ABC01234",)).post(SEED_QUERY, content_type="text/json")

    assert response.status_code == 200
    assert response.json() == {
        "jsonrpc": "2.0",
        "id": 1,
        "result": [
            {
                "epid": newer.epid,
                "uploaded": 1437691161,
                "uploaded_s": "Fri Jul 24 08:39:21 AEST 2015",
                "letters": [{"reference": "987654", "idx": 1}, {"reference": "1234567", "idx": 2}],
            },
            {
                "epid": older.epid,
                "uploaded": 1437690916,
                "uploaded_s": "Fri Jul 24 08:35:16 AEST 2015",
                "letters": [{"reference": "10718814", "idx": 1}],
            },
        ],
    }


def test_epids_are_28_crockford_base32_characters(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["a"])
    epid = jsonrpc.call("recent_uploads", {"account": "ABC12345"}).json()["result"][0]["epid"]

    assert len(epid) == 28
    assert set(epid) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_limit_defaults_to_100_newest_first(jsonrpc, postal_account, make_mailing):
    for n in range(101):
        with time_machine.travel(1_700_000_000 + n * 60, tick=False):
            make_mailing(postal_account, [f"ref{n}"])

    result = jsonrpc.call("recent_uploads", {"account": "ABC12345"}).json()["result"]

    assert len(result) == 100
    assert [m["letters"][0]["reference"] for m in result[:2]] == ["ref100", "ref99"]
    assert result == sorted(result, key=lambda m: m["uploaded"], reverse=True)
    assert "ref0" not in {m["letters"][0]["reference"] for m in result}


@pytest.mark.parametrize("limit", [0, 101, -1, "10", 2.5, True, None])
def test_a_limit_outside_1_to_100_is_invalid_params(jsonrpc, limit):
    response = jsonrpc.call("recent_uploads", {"account": "ABC12345", "limit": limit})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32602
    assert response.json()["error"]["data"] == {"field": "limit"}


def test_limit_100_is_allowed(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["a"])
    response = jsonrpc.call("recent_uploads", {"account": "ABC12345", "limit": 100})
    assert response.status_code == 200 and len(response.json()["result"]) == 1


def test_an_account_without_uploads_has_an_empty_list(jsonrpc):
    assert jsonrpc.call("recent_uploads", {"account": "ABC12345"}).json()["result"] == []
    assert not Mailing.objects.exists()
