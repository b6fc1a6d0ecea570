"""Users are shown and found by a GUID, as every other record (seed 004's `assign_to.user_id`, `user.id`); Django's
whole-number key stays underneath and is never shown."""

import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.errors import NotFound
from accounts.models import UserIdentifier
from accounts.selectors import get_user, user_guid

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_every_new_user_gets_a_guid_of_their_own():
    made = [User.objects.create_user(f"agent{n}") for n in range(3)]

    guids = [user.identifier.guid for user in User.objects.filter(pk__in=[u.pk for u in made])]

    assert len(set(guids)) == 3
    assert all(isinstance(guid, uuid.UUID) for guid in guids)


def test_a_superuser_made_by_the_command_gets_one_too():
    call_command("createsuperuser", "--noinput", username="root", email="root@example.com", stdout=io.StringIO())

    assert UserIdentifier.objects.filter(user__username="root").exists()


def test_a_user_made_without_signals_is_given_a_guid_when_first_shown():
    (bulk,) = User.objects.bulk_create([User(username="imported")])
    user = User.objects.get(pk=bulk.pk)

    first = user_guid(user)

    assert UserIdentifier.objects.get(user=user).guid == first == user_guid(User.objects.get(pk=user.pk))


def test_a_user_is_found_by_guid_and_not_by_database_key(agent):
    assert get_user(agent.identifier.guid) == agent
    assert get_user(str(agent.identifier.guid).upper()) == agent
    for wrong in (agent.pk, str(agent.pk), uuid.uuid4(), "j_doe@crm.com"):
        with pytest.raises(NotFound):
            get_user(wrong)


def test_an_inactive_user_is_not_found(agent):
    User.objects.filter(pk=agent.pk).update(is_active=False)

    with pytest.raises(NotFound):
        get_user(agent.identifier.guid)


def test_the_user_page_shows_the_guid_integrators_use(admin_client, agent):
    page = admin_client.get(f"/admin/auth/user/{agent.pk}/change/").content.decode()

    assert str(agent.identifier.guid) in page


BEFORE_GUIDS = [("accounts", "0005_account_termination_stamp")]


def test_the_upgrade_gives_every_existing_user_a_guid():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_GUIDS)
    old = executor.loader.project_state(BEFORE_GUIDS).apps.get_model("auth", "User")
    old.objects.create(username="veteran1", password="!")
    old.objects.create(username="veteran2", password="!")
    try:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        identifiers = UserIdentifier.objects.filter(user__username__startswith="veteran")
        assert identifiers.count() == 2
        assert len({identifier.guid for identifier in identifiers}) == 2
    finally:
        call_command("migrate", verbosity=0)
