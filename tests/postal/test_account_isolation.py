"""A key reads only the postal accounts it is bound to, and only letters of its own mode."""

import pytest

from postal.models import Letter

pytestmark = pytest.mark.django_db


def test_another_accounts_letters_are_indistinguishable_from_letters_that_do_not_exist(
    jsonrpc_as, postal_account, other_account, make_mailing
):
    make_mailing(other_account, ["theirs"])
    caller = jsonrpc_as(postal_accounts=("ABC12345",))

    existing = caller.call("get_letter_status", {"account": "XYZ00001", "refs": ["theirs"]})
    missing = caller.call("get_letter_status", {"account": "XYZ00001", "refs": ["never-sent"]})

    assert existing.status_code == missing.status_code == 200
    assert existing.json()["result"]["letters"] == [{"ref": "theirs", "status": "Unknown"}]
    assert missing.json()["result"]["letters"] == [{"ref": "never-sent", "status": "Unknown"}]


def test_the_same_ref_on_two_accounts_is_two_letters(jsonrpc_as, postal_account, other_account, make_mailing):
    make_mailing(postal_account, ["shared"])
    make_mailing(other_account, ["shared"])
    caller = jsonrpc_as(postal_accounts=("XYZ00001",))

    entry = caller.call("get_letter_status", {"account": "XYZ00001", "refs": ["shared"]}).json()["result"]
    theirs = Letter.objects.get(postal_account=other_account)

    assert entry["letters"][0]["dbid"] == theirs.dbid


def test_recent_uploads_of_another_account_are_empty(jsonrpc_as, postal_account, other_account, make_mailing):
    make_mailing(other_account, ["theirs"])

    response = jsonrpc_as(postal_accounts=("ABC12345",)).call("recent_uploads", {"account": "XYZ00001"})

    assert response.json()["result"] == []


def test_cancel_on_another_account_is_not_found_and_changes_nothing(
    jsonrpc_as, postal_account, other_account, make_mailing
):
    make_mailing(other_account, ["theirs"])

    response = jsonrpc_as(postal_accounts=("ABC12345",)).call("cancel_letter", {"account": "XYZ00001", "ref": "theirs"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32004
    assert Letter.objects.get().status == "Received"


def test_upload_to_another_account_is_not_found_and_stores_nothing(jsonrpc_as, postal_account, other_account, pdf):
    import base64

    letter = {"ref": "x", "pdf": base64.b64encode(pdf).decode()}

    response = jsonrpc_as(postal_accounts=("ABC12345",)).call(
        "upload_mailing", {"account": "XYZ00001", "letters": [letter]}
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32004
    assert not Letter.objects.exists()


def test_a_test_mode_key_sees_only_test_letters(jsonrpc_as, postal_account, make_mailing):
    make_mailing(postal_account, ["live-only"])
    make_mailing(postal_account, ["test-only"], is_test=True)
    sandbox = jsonrpc_as(mode="test")
    live = jsonrpc_as()

    asked = {"account": "ABC12345", "refs": ["live-only", "test-only"]}
    seen_by_sandbox = sandbox.call("get_letter_status", asked).json()["result"]["letters"]
    seen_live = live.call("get_letter_status", asked).json()["result"]["letters"]

    assert [e["status"] for e in seen_by_sandbox] == ["Unknown", "Received"]
    assert [e["status"] for e in seen_live] == ["Received", "Unknown"]


def test_a_ref_used_live_is_free_in_test_mode(postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    make_mailing(postal_account, ["myref1"], is_test=True)

    assert sorted(Letter.objects.values_list("is_test", flat=True)) == [False, True]
