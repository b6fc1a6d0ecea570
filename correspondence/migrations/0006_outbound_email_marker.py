"""Outbound messages that carry a letter's email are marked `correspondence.email` since CorrespondenceEmail
replaced EmailDelivery (0004); messages queued before that keep finding their email record.

The renamed models' permissions need nothing here: Django renames them after a RenameModel."""

from django.db import migrations

OLD_MARKER, NEW_MARKER = "correspondence.delivery", "correspondence.email"


def forwards(apps, schema_editor):
    messages = apps.get_model("communications", "OutboundMessage").objects
    messages.filter(source_type=OLD_MARKER).update(source_type=NEW_MARKER)


def backwards(apps, schema_editor):
    messages = apps.get_model("communications", "OutboundMessage").objects
    messages.filter(source_type=NEW_MARKER).update(source_type=OLD_MARKER)


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0003_queue_pending_indexes"),
        ("correspondence", "0005_dispatched_correspondence_fields_and_related_names"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
