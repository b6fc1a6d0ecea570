"""The letter-status service (JSON-RPC 2.0 at `/publicinterface/jsonrpc`): every method costs a stated number of
queries, whatever the number of letters or mailings. The methods are not URL routes, so they come from the
service's registry: a new method fails test_every_method_has_a_guard until it has one. No count includes the key:
the counted request finds it kept from the first (accounts/key_cache.py)."""

import base64
from itertools import count

import pytest

from postal.api.jsonrpc.methods import service

from .guard import Guards, assert_steady

pytestmark = pytest.mark.django_db

GUARDS = Guards("postal")
ACCOUNT = "ABC12345"


def test_every_method_has_a_guard():
    assert sorted(service.methods) == sorted(GUARDS.names)


@pytest.fixture(autouse=True)
def generous_polling(settings):
    """Each reference is asked for four times here; the hourly allowance is not what these tests are about."""
    settings.POSTAL_POLL_ALLOWANCE = 100


def result(response):
    body = response.json()
    assert "error" not in body, body
    return body["result"]


@pytest.fixture
def mail(postal_account, make_mailing):
    """`mail(n)` receives one mailing of n new letters on the account; every ref it made is in `mail.refs`."""
    refs = (f"ref-{n}" for n in count())

    def mail(letters: int):
        made = [next(refs) for _ in range(letters)]
        make_mailing(postal_account, made)
        mail.refs.extend(made)

    mail.refs = []
    return mail


@GUARDS.guard("get_letter_status")
def test_letter_status_of_many_refs(jsonrpc, mail):
    def ask():
        return jsonrpc.call("get_letter_status", {"account": ACCOUNT, "refs": mail.refs})

    # the letters' status rows
    assert_steady(ask, mail, queries=1, size=lambda response: len(result(response)["letters"]))


@GUARDS.guard("recent_uploads")
def test_recent_uploads_of_many_mailings(jsonrpc, mail):
    def grow(n):
        for _ in range(n):
            mail(2)

    # mailings, their letters
    assert_steady(
        lambda: jsonrpc.call("recent_uploads", {"account": ACCOUNT}),
        grow,
        queries=2,
        size=lambda response: len(result(response)),
    )


@GUARDS.guard("cancel_letter")
def test_cancel_a_letter_among_many(jsonrpc, mail):
    def cancel():
        response = jsonrpc.call("cancel_letter", {"account": ACCOUNT, "ref": mail.refs.pop()})
        assert result(response)["status"] == "Cancelled"
        return response

    def grow(n):
        mail(n + 2)  # each count cancels two: one uncounted, one counted

    # letter (mailing and account joined), the conditional UPDATE that cancels it, the letter as it is now, its
    # history snapshot, its mailing
    assert_steady(cancel, grow, queries=5)


@GUARDS.guard("upload_mailing")
def test_upload_a_mailing_of_many_letters(jsonrpc, postal_account, pdf):
    refs, per_upload = (f"upload-{n}" for n in count()), [0]
    document = base64.b64encode(pdf).decode()

    def upload():
        letters = [{"ref": next(refs), "pdf": document} for _ in range(per_upload[0])]
        return jsonrpc.call("upload_mailing", {"account": ACCOUNT, "letters": letters})

    def grow(n):
        per_upload[0] += n

    # postal account, refs already taken, a savepoint around the mailing's INSERT, its history snapshot, its
    # letters' one INSERT and their snapshots' one INSERT, the stored letters
    assert_steady(upload, grow, queries=9, size=lambda response: len(result(response)["letters"]))


@GUARDS.guard("upload_mailing")
def test_upload_a_mailing_of_many_correspondences(jsonrpc, postal_account, contact, make_correspondence):
    refs, per_upload, unposted = (f"letter-{n}" for n in count()), [0], []

    def upload():
        letters = [{"ref": next(refs), "correspondence_id": str(unposted.pop().id)} for _ in range(per_upload[0])]
        return jsonrpc.call("upload_mailing", {"account": ACCOUNT, "letters": letters})

    def grow(n):
        per_upload[0] += n
        unposted.extend(make_correspondence(contact) for _ in range(2 * per_upload[0]))  # one uncounted upload

    # postal account, the correspondences (customers joined), refs already taken, a savepoint around the
    # mailing's INSERT, its history snapshot, its letters' one INSERT and their snapshots' one INSERT, the stored
    # letters
    assert_steady(upload, grow, queries=10, size=lambda response: len(result(response)["letters"]))
