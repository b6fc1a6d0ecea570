"""The JSON-RPC family in the access matrix: every method of the letter-status service × (no credentials, a key
for other families, the other postal scope, the other mode's letters, another postal account's letters). JSON-RPC
methods are not URL routes, so they come from the service's registry: a new method joins the matrix by existing,
and test_every_method_is_probed fails until the matrix knows how the method names a letter."""

import base64
import json
import uuid
from dataclasses import dataclass, replace

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts import services as accounts
from accounts.models import ApiKey
from accounts.scopes import ALL_SCOPES
from correspondence import services as correspondence
from correspondence.models import CorrespondenceSection, CorrespondenceType
from postal import services as postal
from postal.api.jsonrpc.methods import service
from postal.demo import letter_pdf
from postal.models import Letter, LetterStatus, Mailing, MailingSource, PostalAccount
from tests.clients import JsonRpcClient

from .access import assert_nothing_leaked

pytestmark = pytest.mark.django_db

ENDPOINT = "/publicinterface/jsonrpc"
OURS, THEIRS, NOBODYS = "ABC12345", "XYZ00001", "NOPE0000"
PDF = base64.b64encode(letter_pdf("probe", ["Dear customer,"])).decode()


@dataclass(frozen=True)
class Target:
    """What a call names: a postal account, a letter's ref on it, and the correspondence an upload would post."""

    account: str
    ref: str
    correspondence: str | None = None


def _upload(target: Target) -> dict:
    letter = {"ref": f"{target.ref}-again"}
    letter |= {"correspondence_id": target.correspondence} if target.correspondence else {"pdf": PDF}
    return {"account": target.account, "letters": [letter]}


# How each method names a letter (or the account and correspondence it would write to): its params.
PROBES = {
    "get_letter_status": lambda target: {"account": target.account, "refs": [target.ref]},
    "recent_uploads": lambda target: {"account": target.account},
    "cancel_letter": lambda target: {"account": target.account, "ref": target.ref},
    "upload_mailing": _upload,
}
METHODS = [pytest.param(name, id=name) for name in sorted(service.methods)]


def call(key: str | None, method: str, params: dict, *, id=1):
    return JsonRpcClient(key).call(method, params, id=id)


def error_of(response) -> dict:
    return response.json()["error"]


def letters_as_stored() -> list[tuple]:
    return list(Letter.objects.order_by("dbid").values_list("postal_account__code", "is_test", "ref", "status"))


def upload(account: PostalAccount, ref: str, *, is_test: bool = False, status: str = LetterStatus.RECEIVED) -> Letter:
    mailing = postal.receive_mailing(
        account, [postal.LetterUpload(ref=ref, pdf=base64.b64decode(PDF))], is_test=is_test, source=MailingSource.API
    )
    now = timezone.now()
    Letter.objects.filter(mailing=mailing).update(status=status, email_first_opened=now, doc_first_opened=now)
    return mailing.letters.get()


def secrets_of(letter: Letter) -> tuple[str, ...]:
    """What a refusal must not tell about a letter: its mailing, its database id, its account's name."""
    return letter.mailing.epid, f'"dbid": {letter.dbid}', f'"dbid":{letter.dbid}', letter.postal_account.name


def same_but_for_names(crossed, absent, crossed_target: Target, absent_target: Target):
    """The two answers are one answer once the names the caller sent are blanked out."""

    def blank(response, target: Target) -> str:
        text = response.content.decode()
        for name, placeholder in (
            (target.correspondence, "CORRESPONDENCE"),
            (target.ref, "REF"),
            (target.account, "ACCOUNT"),
        ):
            if name:
                text = text.replace(name, placeholder)
        return text

    assert crossed.status_code == absent.status_code, (crossed.content, absent.content)
    assert blank(crossed, crossed_target) == blank(absent, absent_target)


@pytest.fixture
def postal_accounts(db):
    return {
        OURS: PostalAccount.objects.create(code=OURS, name="Easymail customer"),
        THEIRS: PostalAccount.objects.create(code=THEIRS, name="Secret other customer"),
    }


def test_every_method_is_probed():
    assert set(PROBES) == set(service.methods)
    assert set(service.method_scopes) == set(service.methods)


def test_the_matrix_covers_reads_and_writes():
    assert set(service.method_scopes.values()) == {"postal.read", "postal.write"}


# -- no credentials, and keys that are not keys ----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("key", [None, "ck_live_not-a-key", "revoked"])
def test_no_valid_credentials_is_401_before_the_call_is_read(make_api_key, postal_accounts, method, key):
    if key == "revoked":
        key = make_api_key(postal_accounts=[OURS])
        accounts.revoke_api_key(ApiKey.objects.get())
    upload(postal_accounts[OURS], "ours")
    before = letters_as_stored()

    response = call(key, method, PROBES[method](Target(OURS, "ours")))

    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'Bearer realm="postal"'
    assert response.json()["id"] is None
    assert error_of(response)["code"] == -32001
    assert letters_as_stored() == before
    assert_nothing_leaked(response, "ours", OURS)


def test_a_staff_session_is_not_a_credential(client, postal_accounts):
    client.force_login(User.objects.create_superuser("boss"))
    body = json.dumps({"jsonrpc": "2.0", "method": "recent_uploads", "params": {"account": OURS}, "id": 1})

    response = client.generic("POST", ENDPOINT, body, content_type="application/json")

    assert response.status_code == 401
    assert error_of(response)["code"] == -32001
    assert_nothing_leaked(response)


# -- scopes ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_a_key_for_other_families_is_403_before_the_call_is_read(make_api_key, postal_accounts, method):
    others = [scope for scope in ALL_SCOPES if not scope.startswith("postal.")]
    key = make_api_key(scopes=others, postal_accounts=[OURS])
    upload(postal_accounts[OURS], "ours")
    before = letters_as_stored()

    response = call(key, method, PROBES[method](Target(OURS, "ours")))

    assert response.status_code == 403, response.content
    assert response.json()["id"] is None
    assert error_of(response)["code"] == -32003
    assert letters_as_stored() == before
    assert_nothing_leaked(response, "ours")


@pytest.mark.parametrize("params", ["valid", "missing", "unknown"])
@pytest.mark.parametrize("method", METHODS)
def test_the_other_postal_scope_is_403_whatever_the_params(make_api_key, postal_accounts, method, params):
    needed = service.method_scopes[method]
    other = "postal.write" if needed == "postal.read" else "postal.read"
    key = make_api_key(scopes=[other], postal_accounts=[OURS])
    ours = upload(postal_accounts[OURS], "ours", status=LetterStatus.LODGED)
    before = letters_as_stored()
    given = {
        "valid": PROBES[method](Target(OURS, "ours")),
        "missing": {},
        "unknown": {"account": OURS, "no_such_param": 1},
    }[params]

    response = call(key, method, given, id=7)

    assert response.status_code == 403, response.content
    assert response.json()["id"] == 7
    assert error_of(response)["code"] == -32003
    assert needed in error_of(response)["message"]
    assert letters_as_stored() == before
    assert_nothing_leaked(response, *secrets_of(ours))


# -- another postal account --------------------------------------------------------------------------------------

ABSENT_TARGETS = {
    "a ref the other account never used": Target(THEIRS, "never-sent"),
    "an account that does not exist": Target(NOBODYS, "never-sent"),
}


@pytest.mark.parametrize("status", [LetterStatus.RECEIVED, LetterStatus.LODGED])
@pytest.mark.parametrize("absent", ABSENT_TARGETS)
@pytest.mark.parametrize("method", METHODS)
def test_another_postal_accounts_letters_are_indistinguishable_from_missing_ones(
    make_api_key, postal_accounts, method, absent, status
):
    key = make_api_key(postal_accounts=[OURS])
    upload(postal_accounts[OURS], "ours")
    theirs = upload(postal_accounts[THEIRS], "theirs", status=status)
    crossed_target, absent_target = Target(THEIRS, "theirs"), ABSENT_TARGETS[absent]
    before = letters_as_stored()

    crossed = call(key, method, PROBES[method](crossed_target))
    missing = call(key, method, PROBES[method](absent_target))

    same_but_for_names(crossed, missing, crossed_target, absent_target)
    if crossed.status_code == 200:
        assert "error" not in crossed.json()
    else:
        assert crossed.status_code == 404 and error_of(crossed)["code"] == -32004
    assert letters_as_stored() == before
    assert Mailing.objects.count() == 2
    assert_nothing_leaked(crossed, *secrets_of(theirs))


@pytest.mark.parametrize("method", METHODS)
def test_a_key_bound_to_both_accounts_reaches_both(make_api_key, postal_accounts, method):
    """The refusals above come from the binding, not from the probes: bound to the account, the same call works."""
    key = make_api_key(postal_accounts=[OURS, THEIRS])
    theirs = upload(postal_accounts[THEIRS], "theirs")
    before = letters_as_stored()

    response = call(key, method, PROBES[method](Target(THEIRS, "theirs")))

    assert response.status_code == 200, response.content
    assert "result" in response.json()
    # A read shows the letter's mailing; a write changes the account's letters.
    assert theirs.mailing.epid in response.content.decode() or letters_as_stored() != before


# -- test key on live letters, live key on test letters ------------------------------------------------------------


def correspondence_in_mode(is_test: bool) -> str:
    contact = accounts.create_contact(is_test=is_test, first_name="Secret", last_name="Holder")
    kind, _ = CorrespondenceType.objects.get_or_create(name="Standard letter")
    CorrespondenceSection.objects.get_or_create(correspondence_type=kind, key="body", required=True)
    letter = correspondence.create_correspondence(contact, correspondence_type=kind, content={"body": "Secret"})
    return str(letter.pk)


@pytest.mark.parametrize("crossing", ["test key on live letters", "live key on test letters"])
@pytest.mark.parametrize("method", METHODS)
def test_the_other_modes_letters_are_indistinguishable_from_missing_ones(
    make_api_key, postal_accounts, method, crossing
):
    key_mode, letters_are_test = ("test", False) if crossing == "test key on live letters" else ("live", True)
    key = make_api_key(mode=key_mode, postal_accounts=[OURS])
    theirs = upload(postal_accounts[OURS], "other-mode", is_test=letters_are_test, status=LetterStatus.LODGED)
    crossed_target = Target(OURS, "other-mode", correspondence_in_mode(letters_are_test))
    absent_target = replace(crossed_target, ref="never-sent", correspondence=str(uuid.uuid4()))
    before = letters_as_stored()

    crossed = call(key, method, PROBES[method](crossed_target))
    missing = call(key, method, PROBES[method](absent_target))

    same_but_for_names(crossed, missing, crossed_target, absent_target)
    if crossed.status_code != 200:
        assert crossed.status_code == 404 and error_of(crossed)["code"] == -32004
    assert letters_as_stored() == before
    assert_nothing_leaked(crossed, *secrets_of(theirs), "Secret", "Holder")


# -- the same refusals inside a batch ------------------------------------------------------------------------------


def test_a_batch_answers_each_call_as_it_would_alone(make_api_key, postal_accounts):
    key = make_api_key(scopes=["postal.read"], postal_accounts=[OURS])
    ours = upload(postal_accounts[OURS], "ours")
    theirs = upload(postal_accounts[THEIRS], "theirs")
    calls = [
        ("get_letter_status", PROBES["get_letter_status"](Target(OURS, "ours"))),
        ("get_letter_status", PROBES["get_letter_status"](Target(THEIRS, "theirs"))),
        ("cancel_letter", PROBES["cancel_letter"](Target(OURS, "ours"))),
    ]
    batch = [{"jsonrpc": "2.0", "method": m, "params": p, "id": n} for n, (m, p) in enumerate(calls)]
    response = JsonRpcClient(key).post(batch)

    mine, other, cancel = response.json()
    assert mine["result"]["letters"][0]["dbid"] == ours.dbid
    assert other["result"]["letters"] == [{"ref": "theirs", "status": "Unknown"}]
    assert cancel["error"]["code"] == -32003
    assert Letter.objects.get(pk=ours.pk).status == LetterStatus.RECEIVED
    assert_nothing_leaked(response, *secrets_of(theirs))
