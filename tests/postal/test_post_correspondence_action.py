"""`POST /backend/api/v1/correspondence/{id}?action=post`: the correspondence's PDF goes out as a letter."""

import io

import pytest
from pypdf import PdfReader

from postal.models import Letter, Mailing

pytestmark = pytest.mark.django_db

STATEMENT = "Your annual statement is enclosed."


@pytest.fixture
def letters_api(backend_as, postal_account):
    def make(scopes=("letters.read", "letters.write", "postal.read", "postal.write"), accounts=("ABC12345",)):
        return backend_as(*scopes, postal_accounts=accounts)

    return make


def post_action(client, correspondence, body=None):
    return client.post(f"/backend/api/v1/correspondence/{correspondence.id}?action=post", body or {}, format="json")


def test_post_sends_the_pdf_as_a_letter(letters_api, contact, make_correspondence, jsonrpc):
    correspondence = make_correspondence(contact, content={"subject": "Statement", "body": STATEMENT})

    response = post_action(letters_api(), correspondence)

    assert response.status_code == 200
    body = response.json()
    letter = Letter.objects.get()
    assert body == {
        "success": True,
        "message": f"Correspondence {correspondence.number} is received as letter {correspondence.id} on postal "
        "account ABC12345 and goes out by POST; follow it with get_letter_status.",
        "account": "ABC12345",
        "ref": str(correspondence.id),
        "dbid": letter.dbid,
        "status": "Received",
    }
    assert letter.correspondence == correspondence
    assert Mailing.objects.get().source == "CORRESPONDENCE"
    with letter.pdf.open("rb") as document:
        assert STATEMENT in PdfReader(io.BytesIO(document.read())).pages[0].extract_text()
    status = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": [str(correspondence.id)]}).json()
    assert status["result"]["letters"][0]["dbid"] == letter.dbid


def test_email_transport_defaults_to_the_customers_address(letters_api, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = post_action(letters_api(), correspondence, {"transport": "EMAIL", "ref": "statement-2026"})

    assert response.status_code == 200
    letter = Letter.objects.get()
    assert (letter.ref, letter.transports, letter.email) == ("statement-2026", ["EMAIL", "POST"], contact.email)


def test_posting_the_same_correspondence_twice_is_refused(letters_api, contact, make_correspondence):
    correspondence = make_correspondence(contact)
    client = letters_api()
    post_action(client, correspondence)

    response = post_action(client, correspondence)

    assert response.status_code == 409
    assert response.json()["error_code"] == 409001
    assert "already used" in response.json()["hint"]
    assert Letter.objects.count() == 1


def test_a_correspondence_without_its_pdf_yet_is_refused(letters_api, contact, make_correspondence):
    correspondence = make_correspondence(contact, render=False)

    response = post_action(letters_api(), correspondence)

    assert response.status_code == 404
    assert response.json()["error_code"] == 404107
    assert not Letter.objects.exists()


def test_the_key_needs_the_postal_write_scope(letters_api, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = post_action(letters_api(scopes=("letters.read", "letters.write")), correspondence)

    assert response.status_code == 403
    assert "postal.write" in response.json()["hint"]
    assert not Letter.objects.exists()


def test_the_account_must_be_one_the_key_is_bound_to(letters_api, contact, make_correspondence, other_account):
    correspondence = make_correspondence(contact)

    response = post_action(letters_api(), correspondence, {"account": "XYZ00001"})

    assert response.status_code == 404
    assert not Letter.objects.exists()


def test_a_key_bound_to_several_accounts_must_name_one(letters_api, contact, make_correspondence, other_account):
    correspondence = make_correspondence(contact)
    client = letters_api(accounts=("ABC12345", "XYZ00001"))

    missing = post_action(client, correspondence)
    named = post_action(client, correspondence, {"account": "XYZ00001"})

    assert missing.status_code == 400
    assert missing.json()["error_code"] == 400502
    assert named.status_code == 200
    assert Letter.objects.get().postal_account == other_account


def test_bad_params_are_refused(letters_api, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = post_action(letters_api(), correspondence, {"transport": "FAX"})

    assert response.status_code == 400
    assert response.json()["error_code"] == 400502
    assert "FAX" in response.json()["hint"]


def test_unknown_actions_list_post_among_the_actions(letters_api, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = letters_api().post(f"/backend/api/v1/correspondence/{correspondence.id}?action=fax", {}, format="json")

    assert response.json()["error_code"] == 400501
    assert "deliver, email, post" in response.json()["hint"]
