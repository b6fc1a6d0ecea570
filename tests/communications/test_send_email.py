"""send_email: the row is written in the caller's transaction; after commit a worker delivers it over SMTP."""

import pytest
from django.db import transaction

from accounts.errors import InvalidValue, MissingValue
from communications.models import OutboundAttachment, OutboundMessage
from communications.signals import message_sent

from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_email_with_attachment_arrives_at_the_smtp_server(smtp_server):
    sent = []
    message_sent.connect(lambda sender, message, **kw: sent.append(message.pk), weak=False, dispatch_uid="t1")
    try:
        message = queue_email(
            to=["kathy.clark@example.com", "billing@example.com"],
            subject="Invoice 2024-17",
            body="Dear Kathy,\nyour invoice is attached.",
            html_body="<p>Dear Kathy,</p><p>your invoice is attached.</p>",
            attachments=[("invoice.pdf", PDF, "application/pdf")],
            source_type="correspondence.email",
            source_id="0f1e2d3c",
        )
    finally:
        message_sent.disconnect(dispatch_uid="t1")

    assert len(smtp_server.received) == 1
    mail = smtp_server.received[0]
    assert sorted(mail.rcpt_tos) == ["billing@example.com", "kathy.clark@example.com"]
    parsed = mail.message
    assert parsed["Subject"] == "Invoice 2024-17"
    assert parsed["Message-ID"] == message.message_id
    plain = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.strip() == "Dear Kathy,\nyour invoice is attached."
    assert "<p>Dear Kathy,</p>" in parsed.get_body(("html",)).get_content()
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_filename() == "invoice.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF

    message.refresh_from_db()
    assert message.status == "SENT"
    assert message.attempts == 1
    assert message.sent_on is not None
    assert message.sent_to == ["kathy.clark@example.com", "billing@example.com"]
    assert sent == [message.pk]


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email()
        raise RuntimeError("the caller failed after queueing")

    assert OutboundMessage.objects.count() == 0
    assert smtp_server.received == []


def test_the_row_waits_for_the_commit_before_any_worker_is_woken(smtp_server):
    with transaction.atomic():
        message = queue_email()
        assert smtp_server.received == []
        assert OutboundMessage.objects.get(pk=message.pk).status == "QUEUED"

    assert len(smtp_server.received) == 1


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"to": []}, MissingValue),
        ({"to": ["not-an-address"]}, InvalidValue),
        ({"subject": "two\nlines"}, InvalidValue),
        ({"source_type": ""}, MissingValue),
        ({"attachments": [("a.pdf", "not bytes", "application/pdf")]}, InvalidValue),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(smtp_server, overrides, error):
    with pytest.raises(error):
        queue_email(**overrides)

    assert OutboundMessage.objects.count() == 0
    assert OutboundAttachment.objects.count() == 0
    assert smtp_server.received == []
