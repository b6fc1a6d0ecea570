"""The two staff roles: `Back-office staff` (view, change, the everyday actions) and `Supervisor` (all that,
plus deletes, API keys and terminating accounts).

It depends on every app's latest migration so the permissions it hands out exist; a later migration that
adds a permission for staff extends the groups in a migration of its own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BACK_OFFICE_STAFF = "Back-office staff"
SUPERVISOR = "Supervisor"

# Records staff look after day to day: they see them and change them.
EVERYDAY = {
    "accounts": ["contact", "address", "account"],
    "communications": ["communication", "queueentry", "outboundmessage"],
    "correspondence": ["correspondence", "correspondencerecipient"],
    "activities": ["activity", "customfieldvalue"],
    "postal": ["letter"],
}
# Records staff add themselves (a new customer, a letter, an activity).
ADDED_BY_STAFF = {
    "accounts": ["contact", "address", "account"],
    "correspondence": ["correspondence", "correspondencerecipient"],
    "activities": ["activity", "customfieldvalue"],
    "postal": ["mailing"],
}
# Set-up and reference data staff read but do not change.
REFERENCE = {
    "accounts": ["group", "team", "paymentterms", "classification"],
    "communications": ["category", "privacylevel", "queueexternalsystem", "template", "unrestrictedparameter", "outboundattachment"],
    "correspondence": [
        "correspondencetype",
        "correspondencesection",
        "correspondenceattachment",
        "correspondencestatuschange",
        "emaildelivery",
    ],
    "activities": ["activitytype", "tag", "customfielddefinition", "activitystatechange"],
    "postal": ["postalaccount", "mailing"],
}
EVERYDAY_ACTIONS = [
    ("communications", "process_queueentry"),
    ("correspondence", "email_correspondence"),
]
SUPERVISOR_ONLY = [
    ("accounts", "terminate_account"),
    *(("accounts", f"{verb}_apikey") for verb in ("view", "change", "delete")),
    *((app, f"delete_{model}") for app, models in EVERYDAY.items() for model in models),
]


def create_groups(apps, schema_editor):
    # Django creates permissions after `migrate`; a fresh database has none yet, so make them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        wanted = set(pairs)
        found = [
            p
            for p in Permission.objects.filter(codename__in={c for _, c in wanted}).select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise LookupError(f"Permissions not found: {sorted(missing)}")
        return found

    def model_permissions(table, verbs):
        return [(app, f"{verb}_{model}") for app, models in table.items() for model in models for verb in verbs]

    staff = [
        *model_permissions(EVERYDAY, ["view", "change"]),
        *model_permissions(ADDED_BY_STAFF, ["add"]),
        *model_permissions(REFERENCE, ["view"]),
        *EVERYDAY_ACTIONS,
    ]
    staff_group, _ = Group.objects.get_or_create(name=BACK_OFFICE_STAFF)
    staff_group.permissions.set(permissions(staff))
    supervisor_group, _ = Group.objects.get_or_create(name=SUPERVISOR)
    supervisor_group.permissions.set(permissions([*staff, *SUPERVISOR_ONLY]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[BACK_OFFICE_STAFF, SUPERVISOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0002_list_filter_indexes_and_terminate_permission"),
        ("communications", "0002_admin_list_indexes_and_queue_permission"),
        ("correspondence", "0003_admin_list_indexes_and_email_permission"),
        ("activities", "0002_activity_name_trigram"),
        ("postal", "0002_admin_list_indexes"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
