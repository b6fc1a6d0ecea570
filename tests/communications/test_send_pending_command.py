"""The ops command `send_pending`: what waits is handed to the workers, or sent from the command with --inline."""

from io import StringIO

import pytest
from django.core.management import call_command

from communications.management.commands.send_pending import Command
from communications.models import OutboundMessage

pytestmark = pytest.mark.django_db(transaction=True)


def test_help_explains_the_command():
    text = Command().create_parser("manage.py", "send_pending").format_help()
    assert "Send the outbound emails and SMS that are waiting" in text
    assert "--inline" in text and "--limit" in text


def test_inline_sends_every_waiting_row(smtp_server, make_outbound):
    for n in range(3):
        make_outbound(subject=f"waiting {n}")
    make_outbound(subject="already sent", status="SENT")
    out = StringIO()

    call_command("send_pending", "--inline", stdout=out, stderr=StringIO())

    assert "3 waiting: 3 sent, 0 not sent" in out.getvalue()
    assert sorted(m.message["Subject"] for m in smtp_server.received) == ["waiting 0", "waiting 1", "waiting 2"]
    assert OutboundMessage.objects.filter(status="SENT").count() == 4


def test_by_default_rows_are_handed_to_the_workers(smtp_server, make_outbound):
    make_outbound()
    out = StringIO()

    call_command("send_pending", stdout=out, stderr=StringIO())

    assert "1 waiting: 1 handed to the workers." in out.getvalue()
    assert len(smtp_server.received) == 1  # in-process tasks in the test settings


def test_limit_caps_the_batch(smtp_server, make_outbound):
    for _ in range(3):
        make_outbound()

    call_command("send_pending", "--inline", "--limit", "2", stdout=StringIO(), stderr=StringIO())

    assert len(smtp_server.received) == 2
    assert OutboundMessage.objects.filter(status="QUEUED").count() == 1
