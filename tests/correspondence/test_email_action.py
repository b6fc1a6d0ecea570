"""POST correspondence/{id}?action=email: the letter arrives at a real SMTP server with its PDF attached."""

import base64
import io

import pytest
from pypdf import PdfReader

from accounts.history_words import acted_by
from communications.models import OutboundMessage
from correspondence.models import Correspondence, CorrespondenceEmail, CorrespondenceRecipient

from .helpers import API

pytestmark = pytest.mark.django_db


def email(client, correspondence, body=None):
    url = f"{API}/correspondence/{correspondence.id}?action=email"
    return client.post(url, body, format="json") if body is not None else client.post(url)


def attachments_of(mail) -> dict[str, tuple[str, bytes]]:
    return {part.get_filename(): (part.get_content_type(), part.get_content()) for part in mail.iter_attachments()}


def test_the_pdf_arrives_at_the_named_addresses(backend, contact, make_correspondence, smtp_server):
    correspondence = make_correspondence(contact)

    response = email(backend, correspondence, {"email": ["kathy@example.com", "billing@example.com"]})

    assert response.status_code == 200
    assert response.json()["success"] is True
    assert "kathy@example.com, billing@example.com" in response.json()["message"]
    assert sorted(mail.rcpt_tos[0] for mail in smtp_server.received) == ["billing@example.com", "kathy@example.com"]
    assert all(len(mail.rcpt_tos) == 1 for mail in smtp_server.received), "one message per recipient"
    mail = smtp_server.received[0].message
    assert mail["Subject"] == "Your new tariff"
    assert f"Dear {contact.full_name}," in mail.get_body(("plain",)).get_content()
    content_type, pdf = attachments_of(mail)["correspondence-1.pdf"]
    assert content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "Your tariff changes." in reader.pages[0].extract_text()


def test_emailed_is_gained_once_the_server_accepted_it(backend, contact, make_correspondence, smtp_server):
    correspondence = make_correspondence(contact)

    email(backend, correspondence, {"email": "a@example.com"})

    after = backend.get(f"{API}/correspondence/{correspondence.id}").json()
    assert after["status"] == ["ready", "emailed"]
    record = CorrespondenceEmail.objects.get()
    assert (record.email, record.result, record.error) == ("a@example.com", "sent", "")
    assert record.sent_on is not None and acted_by(record) == "API key 'test key' (letters API)"
    change = Correspondence.objects.get().status_changes.get(status="emailed")
    assert change.note == "accepted by the mail server for a@example.com"


def test_without_addresses_it_goes_to_the_customer_and_its_recipients(
    backend, make_contact, make_correspondence, smtp_server
):
    customer = make_contact(email="john@example.com")
    CorrespondenceRecipient.objects.create(customer=customer, name="Ann", email="ann@example.com")
    CorrespondenceRecipient.objects.create(customer=customer, email="JOHN@example.com")
    CorrespondenceRecipient.objects.create(customer=customer, email="old@example.com", receives_correspondence=False)

    response = email(backend, make_correspondence(customer))

    assert response.status_code == 200
    assert sorted(mail.rcpt_tos[0] for mail in smtp_server.received) == ["ann@example.com", "john@example.com"]


def test_comma_separated_addresses_and_named_attachments(backend, contact, make_correspondence, smtp_server):
    terms = b"%PDF-1.4 terms"
    upload = {"name": "terms.pdf", "contentType": "application/pdf", "content": base64.b64encode(terms).decode()}
    correspondence = make_correspondence(contact)
    backend.patch(f"{API}/correspondence/{correspondence.id}", {"attachments": [upload]}, format="json")

    response = email(backend, correspondence, {"email": "a@example.com, b@example.com", "attachments": ["terms.pdf"]})

    assert response.status_code == 200
    assert len(smtp_server.received) == 2
    files = attachments_of(smtp_server.received[0].message)
    assert set(files) == {"correspondence-1.pdf", "terms.pdf"}
    assert files["terms.pdf"] == ("application/pdf", terms)
    assert CorrespondenceEmail.objects.first().attachment_names == ["correspondence-1.pdf", "terms.pdf"]


def test_an_unknown_attachment_is_404108_and_nothing_is_sent(backend, contact, make_correspondence, smtp_server):
    correspondence = make_correspondence(contact)

    response = email(backend, correspondence, {"email": ["a@example.com"], "attachments": ["missing.pdf"]})

    assert response.status_code == 404
    assert response.json()["error_code"] == 404108
    assert response.json()["error"] == "No Such Attachment"
    assert "missing.pdf" in response.json()["hint"]
    assert smtp_server.received == []
    assert not CorrespondenceEmail.objects.exists() and not OutboundMessage.objects.exists()


def test_emailing_before_ready_is_400502(backend, contact, make_correspondence, smtp_server):
    correspondence = make_correspondence(contact, render=False)

    response = email(backend, correspondence, {"email": ["a@example.com"]})

    assert response.status_code == 400
    assert response.json()["error_code"] == 400502
    assert "not ready" in response.json()["hint"]
    assert smtp_server.received == [] and not CorrespondenceEmail.objects.exists()


def test_a_missing_pdf_file_is_404107(backend, contact, make_correspondence, media_root, smtp_server):
    correspondence = make_correspondence(contact)
    (media_root / correspondence.pdf.name).unlink()

    response = email(backend, correspondence, {"email": ["a@example.com"]})

    assert response.status_code == 404
    assert response.json()["error_code"] == 404107
    assert smtp_server.received == []


@pytest.mark.parametrize(
    "body", [{"email": ["not-an-address"]}, {"email": 42}, {"attachments": {"name": "x"}}, {"email": "a@b.c, nope"}]
)
def test_bad_parameters_are_400502_and_nothing_is_sent(backend, contact, make_correspondence, smtp_server, body):
    response = email(backend, make_correspondence(contact), body)

    assert response.status_code == 400
    assert response.json()["error_code"] == 400502
    assert smtp_server.received == [] and not CorrespondenceEmail.objects.exists()


def test_the_published_examples_hidden_addresses_get_a_hint(backend, contact, make_correspondence, smtp_server):
    # The public document's example shows "[email protected]" where its addresses were.
    response = email(backend, make_correspondence(contact), {"email": ["[email protected]", "[email protected]"]})

    assert response.status_code == 400
    assert response.json()["error_code"] == 400502
    assert "placeholder" in response.json()["hint"]
    assert smtp_server.received == []


def test_a_customer_without_any_address_is_400502(backend, make_contact, make_correspondence, smtp_server):
    response = email(backend, make_correspondence(make_contact(email="")))

    assert response.status_code == 400
    assert response.json()["error_code"] == 400502
    assert "no email address" in response.json()["hint"]


def test_a_channel_that_cannot_queue_is_500603_and_keeps_nothing(backend, contact, make_correspondence, monkeypatch):
    from correspondence import services

    def refuse(**kwargs):
        raise RuntimeError("outbound table is read-only")

    monkeypatch.setattr(services.letters.emailing, "send_email", refuse)

    response = email(backend, make_correspondence(contact), {"email": ["a@example.com"]})

    assert response.status_code == 500
    assert response.json()["error_code"] == 500603
    assert response.json()["error"] == "Email Sending Failed"
    assert not CorrespondenceEmail.objects.exists()


def test_an_smtp_refusal_is_kept_on_the_email_record_and_emailed_is_not_gained(
    backend, contact, make_correspondence, smtp_server
):
    smtp_server.handler.refuse_with = "554 Transaction failed: spam"
    correspondence = make_correspondence(contact)

    response = email(backend, correspondence, {"email": ["a@example.com"]})

    assert response.status_code == 200, "sending is asynchronous: the request only queued it"
    record = CorrespondenceEmail.objects.get()
    assert record.result == "failed" and "554" in record.error
    assert Correspondence.objects.get().status_names == ["ready"]


def test_test_mode_emails_go_only_to_the_sink(backend_test_mode, make_contact, make_correspondence, smtp_server):
    correspondence = make_correspondence(make_contact(is_test=True))

    email(backend_test_mode, correspondence, {"email": ["real.customer@example.com"]})

    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["test-sink@example.invalid"]
    assert mail.message["X-Intended-Recipients"] == "real.customer@example.com"
    assert Correspondence.objects.get().status_names == ["ready", "emailed"]


def test_email_needs_the_write_scope(backend_as, contact, make_correspondence, smtp_server):
    response = email(backend_as("letters.read"), make_correspondence(contact), {"email": ["a@example.com"]})

    assert response.status_code == 403
    assert smtp_server.received == []
