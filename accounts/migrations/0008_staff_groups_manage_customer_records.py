"""Staff look after a customer's subscriptions, leads, service requests and orders day to day (see, add, change);
supervisors also keep the subscription types (the roles of 0003_staff_groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORDS = ["subscription", "lead", "servicerequest", "order"]
STAFF = [*(f"{verb}_{model}" for model in RECORDS for verb in ("view", "add", "change")), "view_subscriptiontype"]
SUPERVISOR = [*STAFF, "add_subscriptiontype", "change_subscriptiontype"]
ROLES = {"Back-office staff": STAFF, "Supervisor": SUPERVISOR}


def grant(apps, schema_editor):
    # Django creates permissions after `migrate`; make this app's now, so they can be handed out.
    config = apps.get_app_config("accounts")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=SUPERVISOR)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_customer_records_and_user_guids"),
        ("accounts", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
