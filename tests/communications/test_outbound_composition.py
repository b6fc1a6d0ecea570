"""What the recipient's mail program reads is what was queued: non-ASCII text, names and file names, lines that
start with a dot, long lines; and a header SMTP cannot carry fails the message before anything is sent."""

import pytest

from communications import outbound
from communications.models import OutboundMessage

from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_non_ascii_text_names_and_attachments_arrive_as_written(smtp_server):
    body = "Kjære Åse,\n.\n.a line that starts with a dot\n" + "ø" * 1200 + "\nHilsen\n"
    message = queue_email(
        to=["ase@bøker.example", "kathy.clark@example.com"],
        from_email="Kundeservice Ærø <post@example.com>",
        subject="Brev om fakturaen din — oktober " + "x" * 90,
        body=body,
        html_body="<p>Kjære Åse</p>",
        attachments=[("faktura nr. 17 – Ærø.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")],
    )

    (mail,) = smtp_server.received
    assert mail.mail_from == "post@example.com"
    assert mail.rcpt_tos == ["ase@xn--bker-gra.example", "kathy.clark@example.com"]
    parsed = mail.message
    assert parsed["Subject"] == "Brev om fakturaen din — oktober " + "x" * 90
    assert parsed["From"].addresses[0].display_name == "Kundeservice Ærø"
    assert parsed["Message-ID"] == message.message_id
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == body
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Kjære Åse</p>"
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_filename() == "faktura nr. 17 – Ærø.pdf"
    assert attachment.get_content() == b"%PDF-1.4 \x00\xff"
    assert all(len(line) <= 1000 for line in mail.raw.split(b"\r\n"))
    message.refresh_from_db()
    assert message.status == "SENT"


def test_a_sender_smtp_cannot_carry_fails_the_message_at_once_and_nothing_is_sent(smtp_server, make_outbound):
    message = make_outbound(from_address="åse@example.com")  # a template's sender is not checked when queued

    outbound.send_one(message.pk)

    assert smtp_server.received == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("FAILED", 1)
    assert "SMTPUTF8" in message.last_error
    assert OutboundMessage.objects.filter(status="SENT").count() == 0
