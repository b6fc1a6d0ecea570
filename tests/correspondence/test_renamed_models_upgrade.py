"""Upgrading a database across the renames (EmailDelivery -> CorrespondenceEmail, Delivery ->
DispatchedCorrespondence) keeps what was there: staff keep their permissions, and an email queued before the
upgrade still marks its letter emailed once the mail server takes it after the upgrade."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from communications.models import OutboundMessage
from correspondence.models import Correspondence, CorrespondenceEmail

BEFORE_RENAMES = [("correspondence", "0003_admin_list_indexes_and_email_permission")]
BEFORE_STAFF_GROUPS = [("accounts", "0002_list_filter_indexes_and_terminate_permission")]
STAFF_GROUPS = [("accounts", "0003_staff_groups")]
# new model name -> the name a database from before the renames has for it
OLD_NAMES = {
    "correspondenceemail": "emaildelivery",
    "dispatchedcorrespondence": "delivery",
    "dispatchedcorrespondencestatusevent": "deliverystatusevent",
}
ACTIONS = ("add", "change", "delete", "view")
OLD_CODENAMES = {f"{action}_{old}" for old in OLD_NAMES.values() for action in ACTIONS}


@pytest.fixture
def database_before_the_renames():
    """The schema, content types, permissions and staff groups as they were before the renames; yields its models.

    The staff groups are made again by their own migration, from the old names, as on a database of that time.
    """
    executor = MigrationExecutor(connection)
    executor.migrate([*BEFORE_STAFF_GROUPS, *BEFORE_RENAMES])
    for new, old in OLD_NAMES.items():
        ContentType.objects.filter(app_label="correspondence", model=new).update(model=old)
        for action in ACTIONS:
            Permission.objects.filter(content_type__app_label="correspondence", codename=f"{action}_{new}").update(
                codename=f"{action}_{old}"
            )
    ContentType.objects.clear_cache()
    executor = MigrationExecutor(connection)
    executor.migrate(STAFF_GROUPS)
    # The models as the database now has them: other apps' later migrations may have been unapplied too.
    yield executor.loader.project_state(sorted(executor.loader.applied_migrations)).apps
    # Whatever the test did, the next test finds the current schema.
    call_command("migrate", verbosity=0)


def staff_codenames() -> set[str]:
    return set(Group.objects.get(name="Back-office staff").permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_the_staff_groups_have_the_renamed_models_permissions():
    assert "view_correspondenceemail" in staff_codenames()
    assert not Permission.objects.filter(content_type__app_label="correspondence", codename__in=OLD_CODENAMES).exists()


@pytest.fixture
def ready_letter(contact, make_correspondence):
    """A rendered letter, made with today's schema before the database is taken back to the one before the renames
    (today's models would not fit that schema)."""
    return make_correspondence(contact)


# Migrating runs DDL, which a test's transaction cannot hold.
@pytest.mark.django_db(transaction=True)
def test_upgrading_keeps_permissions_and_the_email_queued_before_it(
    ready_letter, smtp_server, database_before_the_renames
):
    old = database_before_the_renames
    letter = ready_letter
    email = old.get_model("correspondence", "EmailDelivery").objects.create(
        correspondence_id=letter.pk, email="maria@example.com"
    )
    message = old.get_model("communications", "OutboundMessage").objects.create(
        channel="EMAIL",
        recipients=["maria@example.com"],
        subject="Your new tariff",
        body="Please find attached our letter.",
        source_type="correspondence.delivery",
        source_id=str(email.pk),
    )
    assert "view_emaildelivery" in staff_codenames()

    call_command("migrate", verbosity=0)
    call_command("send_pending", "--inline", verbosity=0)

    assert OutboundMessage.objects.get(pk=message.pk).source_type == "correspondence.email"
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["maria@example.com"]]
    assert CorrespondenceEmail.objects.get(pk=email.pk).result == "sent"
    assert Correspondence.objects.get(pk=letter.pk).status_names == ["ready", "emailed"]
    assert "view_correspondenceemail" in staff_codenames()
    assert not Permission.objects.filter(content_type__app_label="correspondence", codename__in=OLD_CODENAMES).exists()
    assert Permission.objects.filter(codename="view_correspondenceemail").count() == 1
