"""The EMAIL and SMS transports: the letter leaves through the outbound channel with open tracking, and
fails over to its next transport when that channel gives up."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from communications.models import OutboundMessage
from communications.outbound.sms_gateways import SmsDeliveryError, SmsGateway
from postal import services
from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db(transaction=True)


class RecordingGateway(SmsGateway):
    sent: list = []

    def send(self, *, to, body, reference):
        RecordingGateway.sent.append((to, body))


class RefusingGateway(SmsGateway):
    def send(self, *, to, body, reference):
        raise SmsDeliveryError("number is not mobile", permanent=True)


@pytest.fixture(autouse=True)
def at_once(settings):
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(0)
    settings.POSTAL_PUBLIC_URL = "https://post.example.com"
    settings.SMS_GATEWAY = "tests.postal.test_email_transport.RecordingGateway"
    RecordingGateway.sent = []


def letter_status(jsonrpc, ref="myref1") -> dict:
    return jsonrpc.call("get_letter_status", {"account": "ABC12345", "refs": [ref]}).json()["result"]["letters"][0]


def path_of(url: str) -> str:
    assert url.startswith("https://post.example.com/postal/track/")
    return urlsplit(url).path


def test_an_emailed_letter_arrives_with_its_pdf_and_is_lodged_once_sent(
    jsonrpc, postal_account, make_mailing, smtp_server
):
    make_mailing(postal_account, ["myref1"], transport="EMAIL", email="kathy@example.com")

    services.lodge_due_letters()

    (mail,) = smtp_server.received
    message = mail.message
    assert mail.rcpt_tos == ["kathy@example.com"]
    assert message["Subject"] == "A letter from Easymail customer"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "Your statement is enclosed." in text
    entry = letter_status(jsonrpc)
    assert (entry["status"], entry["transport"], entry["price"]) == ("Lodged", "EMAIL", 0.2)
    assert "failover" not in entry
    assert OutboundMessage.objects.get().source_id == str(entry["dbid"])


def test_the_pixel_and_link_in_the_email_fill_the_opened_times(jsonrpc, postal_account, make_mailing, smtp_server, pdf):
    make_mailing(postal_account, ["myref1"], transport="EMAIL", email="kathy@example.com")
    services.lodge_due_letters()
    html = smtp_server.received[0].message.get_body(("html",)).get_content()
    pixel = re.search(r'<img src="([^"]+)"', html).group(1)
    link = re.search(r'<a href="([^"]+)"', html).group(1)
    plain = smtp_server.received[0].message.get_body(("plain",)).get_content()
    assert link in plain

    assert letter_status(jsonrpc).keys().isdisjoint({"email_first_opened", "doc_first_opened"})
    Client().get(path_of(pixel))
    document = Client().get(path_of(link))

    assert b"".join(document.streaming_content) == pdf
    entry = letter_status(jsonrpc)
    assert entry["email_first_opened"] == entry["email_last_opened"]
    assert entry["doc_first_opened"] == entry["doc_last_opened"]


def test_a_refused_email_fails_over_to_post(jsonrpc, postal_account, make_mailing, smtp_server):
    smtp_server.handler.refuse_with = "550 5.1.1 No such user"
    make_mailing(postal_account, ["myref1"], transport="EMAIL", email="gone@example.com")

    services.lodge_due_letters()

    entry = letter_status(jsonrpc)
    assert entry["status"] == "Lodged"
    assert entry["failover"] is True
    assert entry["transport"] == ["EMAIL", "POST"]
    assert entry["price"] == 2.03
    letter = Letter.objects.get()
    assert letter.last_error.startswith("EMAIL:") and "550" in letter.last_error


def test_email_then_sms_then_post_in_the_order_given(jsonrpc, postal_account, make_mailing, smtp_server):
    smtp_server.handler.refuse_with = "550 5.1.1 No such user"
    contact = {"email": "gone@example.com", "phone": "+4791234567"}
    make_mailing(postal_account, ["myref1"], transport=["EMAIL", "SMS", "POST"], **contact)

    services.lodge_due_letters()

    entry = letter_status(jsonrpc)
    assert (entry["status"], entry["transport"], entry["price"]) == ("Lodged", ["EMAIL", "SMS"], 0.3)
    ((to, body),) = RecordingGateway.sent
    assert to == "+4791234567"
    assert "Easymail customer has sent you a letter: https://post.example.com/postal/track/" in body


def test_when_the_last_transport_fails_the_letter_is_returned(jsonrpc, postal_account, make_mailing, settings):
    settings.SMS_GATEWAY = "tests.postal.test_email_transport.RefusingGateway"
    make_mailing(postal_account, ["myref1"], transport=["SMS"], phone="+4791234567")

    services.lodge_due_letters()

    letter = Letter.objects.get()
    assert letter.status == LetterStatus.RETURNED
    assert "number is not mobile" in letter.last_error
    assert letter_status(jsonrpc)["status"] == "Returned"


def test_a_letter_being_emailed_cannot_be_cancelled(jsonrpc, postal_account, make_mailing, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    make_mailing(postal_account, ["myref1"], transport="EMAIL", email="kathy@example.com")
    services.lodge_due_letters()
    assert OutboundMessage.objects.get().status == "QUEUED"  # the mail server is down; a retry is due

    response = jsonrpc.call("cancel_letter", {"account": "ABC12345", "ref": "myref1"})

    assert response.status_code == 409
    assert "already being sent by EMAIL" in response.json()["error"]["message"]
    assert Letter.objects.get().status == LetterStatus.RECEIVED
    # Nor is it handed over a second time by the next sweep.
    services.lodge_due_letters()
    assert OutboundMessage.objects.count() == 1


def test_test_mode_letters_are_emailed_to_the_test_sink_only(postal_account, make_mailing, smtp_server, settings):
    settings.OUTBOUND_TEST_EMAIL_RECIPIENT = "sink@example.invalid"
    make_mailing(postal_account, ["sandbox"], is_test=True, transport="EMAIL", email="real.person@example.com")

    services.lodge_due_letters()

    assert [mail.rcpt_tos for mail in smtp_server.received] == [["sink@example.invalid"]]
    assert Letter.objects.get().status == LetterStatus.LODGED


def test_a_report_about_a_letter_no_longer_waiting_changes_nothing(postal_account, make_mailing):
    make_mailing(postal_account, ["myref1"])
    letter = Letter.objects.get()
    before = Letter.objects.values().get()

    assert services.transport_failed(str(letter.dbid), "EMAIL", "late bounce") is None
    assert services.transport_sent(str(letter.dbid), "EMAIL") is None
    assert Letter.objects.values().get() == before
