"""The migration's two staff roles decide which action buttons a person sees."""

import re

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from accounts.models import Account
from activities.models import Activity
from communications.models import Communication, QueueEntry
from correspondence.models import Correspondence

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, django_user_model):
    def login(*groups):
        user = django_user_model.objects.create_user("someone", "someone@example.com", "pw", is_staff=True)
        user.groups.set(Group.objects.filter(name__in=groups))
        client.force_login(user)
        return client

    return login


def actions_on(client, url) -> set[str]:
    """The actions offered in the list's action menu (shown once the list has a row)."""
    page = client.get(url)
    assert page.status_code == 200
    return set(re.findall(r'<option value="(\w+)"', page.content.decode())) - {""}


def offered(user, model) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    return set(site._registry[model].get_actions(request))


@pytest.fixture
def rows(contact, make_account, make_api_key):
    make_account(contact)
    make_api_key()


def test_the_migration_creates_both_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Back-office staff", "Supervisor"}
    staff = set(Group.objects.get(name="Back-office staff").permissions.values_list("codename", flat=True))
    supervisor = set(Group.objects.get(name="Supervisor").permissions.values_list("codename", flat=True))
    assert staff < supervisor
    assert {"view_contact", "change_account", "process_queueentry", "email_correspondence"} <= staff
    assert not {"terminate_account", "delete_contact", "view_apikey", "delete_correspondence"} & staff
    assert {"terminate_account", "delete_contact", "change_apikey", "delete_correspondence"} <= supervisor


def test_back_office_staff_see_the_everyday_actions_only(login, rows, django_user_model):
    client = login("Back-office staff")
    user = django_user_model.objects.get(username="someone")

    assert actions_on(client, "/admin/accounts/account/") == {"suspend", "reactivate"}
    assert offered(user, QueueEntry) == {"process", "reject", "remove"}
    assert offered(user, Communication) == {"complete", "set_as_viewed"}
    assert offered(user, Correspondence) == {"email_to_customer", "mark_delivered", "render_again"}
    assert offered(user, Activity) == {"complete", "cancel"}
    assert client.get("/admin/accounts/apikey/").status_code == 403


def test_supervisors_also_see_terminate_deletes_and_api_keys(login, rows, django_user_model):
    client = login("Supervisor")
    user = django_user_model.objects.get(username="someone")

    assert actions_on(client, "/admin/accounts/account/") == {"suspend", "reactivate", "terminate", "delete_selected"}
    assert actions_on(client, "/admin/accounts/apikey/") == {"revoke", "delete_selected"}
    assert offered(user, Correspondence) == {"email_to_customer", "mark_delivered", "render_again", "delete_selected"}
    assert offered(user, Activity) == {"complete", "cancel", "delete_selected"}
    assert offered(user, QueueEntry) == {"process", "reject", "remove"}


def test_a_staff_user_in_no_group_sees_no_action_buttons(login, rows, django_user_model):
    client = login()
    user = django_user_model.objects.get(username="someone")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_account", "view_queueentry", "view_correspondence"])
    )

    assert actions_on(client, "/admin/accounts/account/") == set()
    for model in (Account, QueueEntry, Correspondence, Communication, Activity):
        assert offered(user, model) == set()


def test_posting_an_action_without_its_permission_changes_nothing(login, contact, make_account):
    account = make_account(contact)
    client = login("Back-office staff")

    client.post(
        "/admin/accounts/account/",
        {"action": "terminate", "confirm": "yes", "_selected_action": [str(account.pk)]},
    )

    account.refresh_from_db()
    assert account.state == "ACTIVE"
