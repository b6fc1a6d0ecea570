"""get_letter_status: the seed's example word for word, Unknown refs, limits and types."""

from decimal import Decimal

import pytest
import time_machine

from accounts.api.parsers import loads_lenient
from postal import services
from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db

# Seed 002, copied as integrators copy it (the response carries a trailing comma).
SEED_QUERY = """{
"jsonrpc": "2.0",
"method": "get_letter_status",
"id": 1,
"params": {
"account": "ABC12345",
"refs": ["myref1",
"myref2"]
}
}"""
SEED_RESPONSE = """{
"jsonrpc": "2.0",
"id": 1,
"result": {
"letters": [{
"price": 0.20,
"dbid": 46805050,
"epid": "2JWM49JYMXWV2PGYX8TRBGJ847JK",
"ref": "myref1",
"status": "Lodged",
"idx": 1,
"received_ts": 1643676175,
"transport": "EMAIL"
},
{
"price": 1.93,
"dbid": 46805051,
"epid": "2JWM49JYMXWV2PGYX8TRBGJ847JK",
"ref": "myref2",
"status": "Lodged",
"idx": 2,
"received_ts": 1643676175,
"failover": true,
"transport": ["SMS",
"POST",
],
"email_first_opened": 1643677275,
"email_last_opened": 1643677433,
"doc_first_opened": 1643677280,
"doc_last_opened": 1643677280
}]
}
}"""


@pytest.fixture
def seed_letters(postal_account, pdf):
    """The two letters of the seed's example, with its times."""
    with time_machine.travel(1643676175, tick=False):
        mailing = services.receive_mailing(
            postal_account,
            [
                services.LetterUpload(ref="myref1", pdf=pdf, transport="EMAIL", email="a@example.com"),
                services.LetterUpload(ref="myref2", pdf=pdf, transport=["SMS", "POST"], phone="+4722000000"),
            ],
            is_test=False,
        )
    letters = {letter.ref: letter for letter in mailing.letters.all()}
    Letter.objects.filter(pk=letters["myref1"].pk).update(status=LetterStatus.LODGED)
    Letter.objects.filter(pk=letters["myref2"].pk).update(
        status=LetterStatus.LODGED, transport="POST", price=Decimal("1.93")
    )
    token = letters["myref2"].tracking_token
    for moment, record in (
        (1643677275, services.record_email_open),
        (1643677280, services.record_document_open),
        (1643677433, services.record_email_open),
    ):
        with time_machine.travel(moment, tick=False):
            record(token)
    return mailing, letters


def test_the_seed_example_answers_exactly_as_the_seed_shows(jsonrpc, seed_letters):
    mailing, letters = seed_letters

    response = jsonrpc.post(SEED_QUERY, content_type="text/json")

    assert response.status_code == 200
    expected = loads_lenient(SEED_RESPONSE)
    for entry, ref in zip(expected["result"]["letters"], ("myref1", "myref2"), strict=True):
        entry["dbid"], entry["epid"] = letters[ref].dbid, mailing.epid
    assert response.json() == expected
    # Same members in the same order as the seed, for integrators who compare text.
    answered = response.json()["result"]["letters"]
    assert [list(e) for e in answered] == [list(e) for e in expected["result"]["letters"]]
    assert answered[1]["dbid"] == answered[0]["dbid"] + 1


def test_unknown_refs_answer_unknown_in_the_order_asked(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["known"])

    response = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["nope", "known", "later"]})

    letters = response.json()["result"]["letters"]
    assert [e["ref"] for e in letters] == ["nope", "known", "later"]
    assert letters[0] == {"ref": "nope", "status": "Unknown"}
    assert letters[1]["status"] == "Received"
    assert letters[2] == {"ref": "later", "status": "Unknown"}


def test_an_unknown_account_answers_unknown_for_every_ref(jsonrpc_as, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    caller = jsonrpc_as(postal_accounts=("ABC12345", "NOSUCH01"))

    response = caller.call("get_letter_status", {"account": "NOSUCH01", "refs": ["myref1"]})

    assert response.status_code == 200
    assert response.json()["result"] == {"letters": [{"ref": "myref1", "status": "Unknown"}]}


def test_received_letter_shows_the_quoted_price_and_no_opened_times(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    entry = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["myref1"]}).json()["result"]["letters"][
        0
    ]

    assert entry["status"] == "Received"
    assert entry["price"] == 1.83
    assert entry["transport"] == "POST"
    assert "failover" not in entry
    assert not any(name.endswith("_opened") for name in entry)


def test_a_ref_named_twice_is_answered_once(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    letters = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["myref1", "myref1"]}).json()
    assert [e["ref"] for e in letters["result"]["letters"]] == ["myref1"]


def test_five_thousand_refs_are_answered(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, [f"ref{n}" for n in range(50)])
    refs = [f"ref{n}" for n in range(5000)]

    response = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": refs})

    letters = response.json()["result"]["letters"]
    assert len(letters) == 5000
    assert sum(e["status"] == "Received" for e in letters) == 50


def test_five_thousand_and_one_refs_are_invalid_params(jsonrpc):
    response = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": [f"r{n}" for n in range(5001)]})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32602
    assert "5001" in error["message"] and "5000" in error["message"]
    assert error["data"] == {"field": "refs"}
    assert response.json()["id"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"account": "ABC12345", "refs": "myref1"},
        {"account": "ABC12345", "refs": [1, 2]},
        {"account": "ABC12345", "refs": [""]},
        {"account": "ABC12345", "refs": ["r" * 101]},
        {"account": "A" * 65, "refs": ["myref1"]},
        {"account": "ABC12345", "refs": ["my\u0000ref"]},
        {"account": "ABC12345", "refs": ["my\nref"]},
        {"account": "ABC\u000012345", "refs": ["myref1"]},
        {"account": 12345, "refs": ["myref1"]},
        {"account": "ABC12345"},
        {"refs": ["myref1"]},
        {"account": "ABC12345", "refs": ["myref1"], "extra": True},
    ],
)
def test_wrong_types_and_missing_params_are_invalid_params(jsonrpc, params):
    response = jsonrpc.call("get_letter_status", params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32602
    assert response.json()["id"] == 1


def test_params_by_position_are_accepted(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    response = jsonrpc.call("get_letter_status", ["ABC12345", ["myref1"]])

    assert response.json()["result"]["letters"][0]["status"] == "Received"
