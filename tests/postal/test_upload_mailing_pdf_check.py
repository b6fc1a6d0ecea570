"""upload_mailing reads each document as a PDF, not only its first bytes: anything that does not open as a PDF with
a page is refused with the family's invalid-params error, and no letter of the mailing is stored."""

import base64

import pytest

from postal.models import Letter, Mailing

pytestmark = pytest.mark.django_db


def encoded(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    "document",
    [
        b"%PDF-1.4\nfake",
        b"%PDF-",
        b"%PDF-1.7\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b"GIF89a%PDF-1.4",
    ],
    ids=["fake", "magic-only", "eof-only", "no-pages", "other-format"],
)
def test_a_document_that_is_not_a_pdf_refuses_the_whole_mailing(jsonrpc, postal_account, pdf, document):
    letters = [{"ref": "good", "pdf": encoded(pdf)}, {"ref": "bad", "pdf": encoded(document)}]

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": letters}, id=4)

    assert response.status_code == 400
    body = response.json()
    assert (body["jsonrpc"], body["id"]) == ("2.0", 4)
    assert body["error"]["code"] == -32602
    assert body["error"]["data"]["field"] == "letters[1].pdf"
    assert "ref bad is not a PDF the mail house can print" in body["error"]["message"]
    assert not Mailing.objects.exists() and not Letter.objects.exists()


def test_a_pdf_cut_short_is_refused(jsonrpc, postal_account, pdf):
    letters = [{"ref": "short", "pdf": encoded(pdf[: len(pdf) // 2])}]

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": letters})

    assert response.json()["error"]["data"]["field"] == "letters[0].pdf"
    assert not Letter.objects.exists()


def test_a_real_pdf_is_received(jsonrpc, postal_account, pdf):
    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [{"ref": "r1", "pdf": encoded(pdf)}]})

    assert response.status_code == 200, response.content
    assert Letter.objects.get().ref == "r1"
