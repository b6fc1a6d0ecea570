"""upload_mailing over JSON-RPC: letters with their PDFs arrive Received, or nothing is stored."""

import base64
import io

import pytest
from pypdf import PdfReader

from postal.demo import letter_pdf
from postal.models import Letter, Mailing

pytestmark = pytest.mark.django_db


def encoded(pdf: bytes) -> str:
    return base64.b64encode(pdf).decode()


PDF = encoded(letter_pdf("a", ["Dear customer,"]))


def test_upload_stores_the_mailing_and_its_letters(jsonrpc, postal_account, pdf):
    letters = [
        {"ref": "myref1", "pdf": encoded(pdf), "transport": "EMAIL", "email": "john@example.com"},
        {"ref": "myref2", "pdf": encoded(pdf), "transport": ["SMS", "POST"], "phone": "+4722000000"},
        {"ref": "myref3", "pdf": encoded(pdf)},
    ]

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": letters})

    assert response.status_code == 200
    result = response.json()["result"]
    mailing = Mailing.objects.get()
    assert result["epid"] == mailing.epid
    assert [(e["reference"], e["idx"]) for e in result["letters"]] == [("myref1", 1), ("myref2", 2), ("myref3", 3)]
    stored = {letter.ref: letter for letter in Letter.objects.all()}
    assert [e["dbid"] for e in result["letters"]] == [stored[r].dbid for r in ("myref1", "myref2", "myref3")]
    assert {letter.status for letter in stored.values()} == {"Received"}
    assert stored["myref1"].transports == ["EMAIL", "POST"]
    assert stored["myref2"].transports == ["SMS", "POST"]
    assert stored["myref3"].transports == ["POST"]
    assert [str(stored[r].price) for r in ("myref1", "myref2", "myref3")] == ["0.20", "0.10", "1.83"]
    with stored["myref1"].pdf.open("rb") as document:
        assert "Your statement is enclosed." in PdfReader(io.BytesIO(document.read())).pages[0].extract_text()
    assert not mailing.is_test


def test_the_letters_are_then_known_to_get_letter_status(jsonrpc, postal_account, pdf):
    jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [{"ref": "myref1", "pdf": encoded(pdf)}]})

    entry = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["myref1"]}).json()["result"]["letters"][
        0
    ]

    assert entry["status"] == "Received"
    assert entry["epid"] == Mailing.objects.get().epid


def test_a_ref_already_used_on_the_account_refuses_the_whole_mailing(jsonrpc, postal_account, make_mailing, pdf):
    make_mailing(postal_account, ["myref1"])
    letters = [{"ref": "fresh", "pdf": encoded(pdf)}, {"ref": "myref1", "pdf": encoded(pdf)}]

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": letters})

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == -32009
    assert "myref1" in error["message"] and "already used" in error["message"]
    assert error["data"] == {"field": "ref"}
    assert Mailing.objects.count() == 1
    assert not Letter.objects.filter(ref="fresh").exists()


def test_a_ref_twice_in_one_mailing_is_refused(jsonrpc, postal_account, pdf):
    letters = [{"ref": "twice", "pdf": encoded(pdf)}, {"ref": "twice", "pdf": encoded(pdf)}]

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": letters})

    assert response.json()["error"]["code"] == -32009
    assert not Mailing.objects.exists()


@pytest.mark.parametrize(
    ("letter", "field"),
    [
        ({"ref": "a", "pdf": "not base64!"}, "letters[0].pdf"),
        ({"ref": "a", "pdf": base64.b64encode(b"plain text").decode()}, "letters[0].pdf"),
        ({"ref": "a"}, "letters[0].pdf"),
        ({"pdf": PDF}, "letters[0].ref"),
        ({"ref": "a", "pdf": PDF, "transport": "FAX"}, "letters[0].transport"),
        ({"ref": "a", "pdf": PDF, "transport": ["POST", "POST"]}, "letters[0].transport"),
        ({"ref": "a", "pdf": PDF, "transport": "EMAIL"}, "letters[0].email"),
        ({"ref": "a", "pdf": PDF, "transport": "EMAIL", "email": "nobody"}, "letters[0].email"),
        ({"ref": "a", "pdf": PDF, "transport": "SMS"}, "letters[0].phone"),
        ({"ref": "a", "pdf": PDF, "transports": "SMS"}, "letters[0].transports"),
        ({"ref": "r" * 101, "pdf": PDF}, "letters[0].ref"),
        ({"ref": "a\u0000b", "pdf": PDF}, "letters[0].ref"),
        ({"ref": "a\tb", "pdf": PDF}, "letters[0].ref"),
        ({"ref": "a", "pdf": PDF, "phone": 4722000000}, "letters[0].phone"),
        ("a letter", "letters[0]"),
    ],
)
def test_a_bad_letter_is_invalid_params_and_stores_nothing(jsonrpc, postal_account, letter, field):
    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [letter]})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32602
    assert error["data"]["field"] == field
    assert not Mailing.objects.exists() and not Letter.objects.exists()


def test_an_empty_mailing_is_refused(jsonrpc, postal_account):
    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": []})
    assert response.json()["error"]["code"] == -32602


def test_base64_with_line_breaks_is_accepted(jsonrpc, postal_account, pdf):
    wrapped = "\n".join(encoded(pdf)[i : i + 76] for i in range(0, len(encoded(pdf)), 76))

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [{"ref": "a", "pdf": wrapped}]})

    assert response.status_code == 200
    with Letter.objects.get().pdf.open("rb") as document:
        assert document.read() == pdf


def test_a_test_mode_key_uploads_test_letters(jsonrpc_as, postal_account, pdf):
    sandbox = jsonrpc_as(mode="test")

    sandbox.call("upload_mailing", {"account": "ABC12345", "letters": [{"ref": "a", "pdf": encoded(pdf)}]})

    assert Mailing.objects.get().is_test and Letter.objects.get().is_test


def test_the_account_must_exist(jsonrpc_as, postal_account, pdf):
    caller = jsonrpc_as(postal_accounts=("ABC12345", "GONE0001"))

    response = caller.call("upload_mailing", {"account": "GONE0001", "letters": [{"ref": "a", "pdf": encoded(pdf)}]})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32004


def test_a_letter_can_carry_a_correspondence_by_id(jsonrpc, postal_account, contact, make_correspondence):
    correspondence = make_correspondence(contact)
    letter = {"ref": "stmt-1", "correspondence_id": str(correspondence.id), "transport": "EMAIL"}

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [letter]})

    assert response.status_code == 200
    stored = Letter.objects.get()
    assert (stored.correspondence, stored.email) == (correspondence, contact.email)
    with stored.pdf.open("rb") as document, correspondence.pdf.open("rb") as rendered:
        assert document.read() == rendered.read()


def test_an_unknown_correspondence_id_is_not_found(jsonrpc, postal_account):
    letter = {"ref": "x", "correspondence_id": "00000000-0000-0000-0000-000000000000"}

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [letter]})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32004
    assert not Mailing.objects.exists()


def test_a_correspondence_of_the_other_mode_is_not_found(jsonrpc_as, postal_account, make_contact, make_correspondence):
    correspondence = make_correspondence(make_contact(is_test=True))
    letter = {"ref": "x", "correspondence_id": str(correspondence.id)}

    response = jsonrpc_as().call("upload_mailing", {"account": "ABC12345", "letters": [letter]})

    assert response.json()["error"]["code"] == -32004


def test_pdf_and_correspondence_id_together_are_refused(jsonrpc, postal_account, contact, make_correspondence, pdf):
    letter = {"ref": "x", "pdf": encoded(pdf), "correspondence_id": str(make_correspondence(contact).id)}

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [letter]})

    assert response.json()["error"]["code"] == -32602
