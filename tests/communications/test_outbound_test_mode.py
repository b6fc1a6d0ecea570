"""A test-mode message goes through the whole pipeline but only ever reaches the sink."""

import pytest

from .factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_test_mode_email_is_delivered_to_the_sink_only(smtp_server, settings):
    settings.OUTBOUND_TEST_EMAIL_RECIPIENT = "sink@test.example"

    message = queue_email(to=["real.customer@example.com"], is_test=True, subject="Your bill")

    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["sink@test.example"]
    assert "real.customer@example.com" not in mail.rcpt_tos
    parsed = mail.message
    assert parsed["To"] == "sink@test.example"
    assert parsed["X-Test-Mode"] == "true"
    assert parsed["X-Intended-Recipients"] == "real.customer@example.com"
    assert parsed["Subject"] == "Your bill"
    message.refresh_from_db()
    assert message.is_test is True
    assert message.status == "SENT"
    assert message.recipients == ["real.customer@example.com"]
    assert message.sent_to == ["sink@test.example"]


def test_live_email_goes_to_the_real_recipient(smtp_server):
    queue_email(to=["real.customer@example.com"], is_test=False)

    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["real.customer@example.com"]
    assert mail.message["X-Test-Mode"] is None
