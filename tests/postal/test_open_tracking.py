"""The tracking pixel and document link fill a letter's opened times; they need no credentials."""

import pytest
import time_machine
from django.test import Client

from postal.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    return Letter.objects.get()


def test_the_pixel_records_the_first_and_last_opening(letter):
    client = Client()
    with time_machine.travel(1_750_000_000, tick=False):
        first = client.get(f"/postal/track/{letter.tracking_token}/pixel.gif")
    with time_machine.travel(1_750_000_500, tick=False):
        client.get(f"/postal/track/{letter.tracking_token}/pixel.gif")

    assert first.status_code == 200
    assert first["Content-Type"] == "image/gif"
    assert first.content.startswith(b"GIF89a")
    assert "no-cache" in first["Cache-Control"]
    letter.refresh_from_db()
    assert int(letter.email_first_opened.timestamp()) == 1_750_000_000
    assert int(letter.email_last_opened.timestamp()) == 1_750_000_500
    assert letter.doc_first_opened is None


def test_the_document_link_serves_the_pdf_and_records_the_opening(letter, pdf):
    with time_machine.travel(1_750_000_000, tick=False):
        response = Client().get(f"/postal/track/{letter.tracking_token}/letter.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf
    letter.refresh_from_db()
    assert int(letter.doc_first_opened.timestamp()) == int(letter.doc_last_opened.timestamp()) == 1_750_000_000
    assert letter.email_first_opened is None


def test_the_opened_times_show_in_get_letter_status(jsonrpc, letter):
    with time_machine.travel(1_750_000_000, tick=False):
        Client().get(f"/postal/track/{letter.tracking_token}/pixel.gif")

    entry = jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": ["myref1"]}).json()["result"]["letters"][
        0
    ]

    assert entry["email_first_opened"] == entry["email_last_opened"] == 1_750_000_000
    assert "doc_first_opened" not in entry


def test_an_unknown_token_changes_nothing_and_reveals_nothing(letter):
    pixel = Client().get("/postal/track/not-a-token/pixel.gif")
    document = Client().get("/postal/track/not-a-token/letter.pdf")

    assert pixel.status_code == 200 and pixel["Content-Type"] == "image/gif"
    assert document.status_code == 404
    letter.refresh_from_db()
    assert letter.email_first_opened is None and letter.doc_first_opened is None


def test_tokens_are_long_random_and_distinct(postal_account, make_mailing):
    make_mailing(postal_account, [f"r{n}" for n in range(50)])
    tokens = list(Letter.objects.values_list("tracking_token", flat=True))

    assert len(set(tokens)) == 50
    assert all(len(token) == 32 for token in tokens)
