"""cancel_letter: only a Received letter can be cancelled; it is then not charged."""

import pytest

from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db


def test_a_received_letter_is_cancelled(jsonrpc, postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])

    response = jsonrpc.call("cancel_letter", {"account": "ABC12345", "ref": "myref1"})

    assert response.status_code == 200
    entry = response.json()["result"]
    assert (entry["ref"], entry["status"], entry["price"]) == ("myref1", "Cancelled", 0.0)
    letter = Letter.objects.get()
    assert letter.status == LetterStatus.CANCELLED and letter.cancelled_on is not None
    status = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["myref1"]}).json()
    assert status["result"]["letters"][0]["status"] == "Cancelled"


@pytest.mark.parametrize("status", [LetterStatus.LODGED, LetterStatus.RETURNED, LetterStatus.CANCELLED])
def test_a_letter_past_received_cannot_be_cancelled(jsonrpc, postal_account, make_mailing, status):
    make_mailing(postal_account, ["myref1"])
    Letter.objects.update(status=status)

    response = jsonrpc.call("cancel_letter", {"account": "ABC12345", "ref": "myref1"})

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == -32010
    assert f"is {status}" in error["message"]
    letter = Letter.objects.get()
    assert letter.status == status and letter.cancelled_on is None


def test_an_unknown_ref_is_not_found(jsonrpc, postal_account):
    response = jsonrpc.call("cancel_letter", {"account": "ABC12345", "ref": "nope"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32004


def test_the_ref_must_be_a_string(jsonrpc, postal_account):
    response = jsonrpc.call("cancel_letter", {"account": "ABC12345", "ref": 12})
    assert response.json()["error"]["code"] == -32602
