"""What the renames of 0004 leave behind under the old names: the permissions of the renamed models (Django
renames their content type but not their codenames, so the staff groups would lose them), and the marker on
outbound messages that carry a letter's email."""

from django.db import migrations

# old model name, new model name, new verbose name
RENAMED_MODELS = [
    ("emaildelivery", "correspondenceemail", "correspondence email"),
    ("delivery", "dispatchedcorrespondence", "dispatched correspondence"),
    ("deliverystatusevent", "dispatchedcorrespondencestatusevent", "dispatched correspondence status event"),
]
OLD_VERBOSE_NAMES = {
    "emaildelivery": "email delivery",
    "delivery": "delivery",
    "deliverystatusevent": "delivery status event",
}
ACTIONS = ("add", "change", "delete", "view")
EMAIL_MARKERS = ("correspondence.delivery", "correspondence.email")


def _rename_permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    for old, new, verbose in pairs:
        for action in ACTIONS:
            permission = Permission.objects.filter(
                content_type__app_label="correspondence", codename=f"{action}_{old}"
            ).first()
            if permission is None:
                continue
            existing = Permission.objects.filter(
                content_type=permission.content_type, codename=f"{action}_{new}"
            ).first()
            if existing is not None:
                # Made meanwhile by a run of `migrate` that stopped before this step: it takes over the grants.
                existing.group_set.add(*permission.group_set.all())
                existing.user_set.add(*permission.user_set.all())
                permission.delete()
                continue
            permission.codename, permission.name = f"{action}_{new}", f"Can {action} {verbose}"
            permission.save(update_fields=["codename", "name"])


def forwards(apps, schema_editor):
    _rename_permissions(apps, RENAMED_MODELS)
    old, new = EMAIL_MARKERS
    apps.get_model("communications", "OutboundMessage").objects.filter(source_type=old).update(source_type=new)


def backwards(apps, schema_editor):
    _rename_permissions(apps, [(new, old, OLD_VERBOSE_NAMES[old]) for old, new, _ in RENAMED_MODELS])
    old, new = EMAIL_MARKERS
    apps.get_model("communications", "OutboundMessage").objects.filter(source_type=new).update(source_type=old)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("communications", "0003_queue_pending_indexes"),
        ("correspondence", "0005_dispatched_correspondence_fields_and_related_names"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
