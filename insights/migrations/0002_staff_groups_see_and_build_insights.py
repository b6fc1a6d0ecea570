"""Staff build and read insights; supervisors may also delete them (the roles of accounts' 0003_staff_groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = ["view_insight", "add_insight", "change_insight"]
SUPERVISOR = [*STAFF, "delete_insight"]
ROLES = {"Back-office staff": STAFF, "Supervisor": SUPERVISOR}


def grant(apps, schema_editor):
    # Django creates permissions after `migrate`; make this app's now, so they can be handed out.
    config = apps.get_app_config("insights")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="insights", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="insights"))


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("accounts", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
