"""The ops command `purge`: retention removes or anonymises old records, in batches, and --dry-run counts only."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.management.commands.purge import Command
from communications import services
from communications.models import Communication, OutboundAttachment, OutboundMessage, UnrestrictedParameter

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def age(model, rows, days):
    model.objects.filter(pk__in=[row.pk for row in rows]).update(created_on=timezone.now() - timedelta(days=days))


@pytest.fixture
def communication(contact):
    def make(subject="Your bill", **fields):
        return services.create_communication(
            is_test=False,
            contact=contact,
            direction="OUTGOING",
            media="LETTER",
            subject=subject,
            content="Dear Kathy, your bill for March is 42.00 EUR.",
            to="kathy.clark@example.com",
            notes="Called about the bill",
            udf_string_1="IBAN CY17002001280000001200527600",
            parameters=[{"name": "amount", "type": "STRING", "value": "42.00"}],
            state="COMPLETED",
            **fields,
        )

    return make


@pytest.fixture
def message(db):
    def make(status="SENT", **fields):
        row = OutboundMessage.objects.create(
            channel="EMAIL",
            recipients=["kathy.clark@example.com"],
            subject="Your letter",
            body="Dear Kathy",
            status=status,
            source_type="tests.email",
            **fields,
        )
        OutboundAttachment.objects.create(
            message=row, filename="letter.pdf", content_type="application/pdf", content=b"%PDF-"
        )
        return row

    return make


def test_help_explains_the_command():
    text = Command().create_parser("manage.py", "purge").format_help()
    assert "Retention: remove or anonymise records older than RETENTION_DAYS" in text
    assert "--days" in text and "--batch-size" in text and "--dry-run" in text


def test_old_communications_are_anonymised_and_recent_ones_untouched(communication, settings):
    settings.RETENTION_DAYS = 90
    old, recent = communication("Old bill"), communication("New bill")
    kept = (old.number, old.code, old.created_on, old.completed_on)
    age(Communication, [old], 91)
    age(Communication, [recent], 89)

    output = purge()

    assert "communications.communications_anonymised: 1" in output
    old.refresh_from_db()
    assert (old.subject, old.content, old.to_address, old.from_address, old.notes, old.udf_string_1) == (
        "",
        "",
        "",
        "",
        None,
        None,
    )
    assert (old.number, old.code, old.created_on.date(), old.completed_on) == (
        kept[0],
        kept[1],
        (timezone.now() - timedelta(days=91)).date(),
        kept[3],
    )
    assert (old.state, old.contact_id) == ("COMPLETED", recent.contact_id)
    assert not UnrestrictedParameter.objects.filter(communication=old).exists()
    recent.refresh_from_db()
    assert (recent.subject, recent.udf_string_1) == ("New bill", "IBAN CY17002001280000001200527600")
    assert UnrestrictedParameter.objects.filter(communication=recent).count() == 1


def test_finished_outbound_messages_are_deleted_with_attachments_queued_ones_kept(message):
    sent, failed, queued, recent = message("SENT"), message("FAILED"), message("QUEUED"), message("SENT")
    age(OutboundMessage, [sent, failed, queued], 400)

    output = purge("--days", "365")

    assert "communications.outbound_messages_deleted: 2" in output
    assert set(OutboundMessage.objects.values_list("pk", flat=True)) == {queued.pk, recent.pk}
    assert OutboundAttachment.objects.count() == 2


def test_dry_run_counts_and_changes_nothing(communication, message):
    old_communication, old_message = communication(), message()
    age(Communication, [old_communication], 400)
    age(OutboundMessage, [old_message], 400)

    output = purge("--dry-run", "--days", "30")

    assert "Would purge" in output
    assert "communications.communications_anonymised: 1" in output
    assert "communications.outbound_messages_deleted: 1" in output
    old_communication.refresh_from_db()
    assert old_communication.content.startswith("Dear Kathy")
    assert OutboundMessage.objects.filter(pk=old_message.pk).exists()


def test_works_through_every_batch_and_a_rerun_finds_nothing(communication, message):
    age(Communication, [communication(f"Bill {n}") for n in range(5)], 400)
    age(OutboundMessage, [message() for _ in range(5)], 400)

    output = purge("--batch-size", "2")

    assert "communications.communications_anonymised: 5" in output
    assert "communications.outbound_messages_deleted: 5" in output
    assert not Communication.objects.exclude(content="").exists()
    assert not OutboundMessage.objects.exists()
    again = purge("--batch-size", "2")
    assert "communications.communications_anonymised: 0" in again


def test_on_the_demo_data_nothing_recent_is_purged():
    call_command("seed_demo", stdout=StringIO())
    before = (Communication.objects.exclude(content="").count(), OutboundMessage.objects.count())

    output = purge()

    assert "Purged records created before" in output
    assert (Communication.objects.exclude(content="").count(), OutboundMessage.objects.count()) == before


def test_nonsense_days_are_refused():
    with pytest.raises(Exception, match="--days must be at least 1"):
        purge("--days", "0")
