"""communications/create without `owned_by_group_identifier`: as in CRM.COM, the communication belongs to the acting
user's group (the first by name if they are in several). A group named in the request wins; an API key acts for
no user, so nothing is filled in for it."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Group
from communications.models import Communication

pytestmark = pytest.mark.django_db


@pytest.fixture
def main_group():
    return Group.objects.create(name="Main Group", code="MAIN")


@pytest.fixture
def clerk(django_user_model, main_group):
    user = django_user_model.objects.create_user("clerk", password="s3cret-pass")
    main_group.members.add(user)
    return user


@pytest.fixture
def clerk_token(clerk):
    login = APIClient().post("/crmapi/rest/v2/authentication/login", {"username": "clerk", "password": "s3cret-pass"})
    return login.json()["data"]["token"]


def create(token, contact, **fields):
    body = {
        "token": token,
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Call about the bill",
        "content": "Notes",
        **fields,
    }
    return APIClient().post("/crmapi/rest/v2/communications/create", body, format="json")


def test_a_logged_in_user_gets_their_group(clerk_token, contact, main_group):
    response = create(clerk_token, contact)

    assert response.status_code == 200, response.content
    owned = response.json()["data"]["owned_by_group"]
    assert (owned["name"], owned["id"]) == ("Main Group", main_group.id.hex.upper())
    assert Communication.objects.get().owned_by_group == main_group


def test_a_user_in_several_groups_gets_the_first_by_name(clerk, clerk_token, contact):
    first = Group.objects.create(name="Admin Unit", code="ADM")
    first.members.add(clerk)

    response = create(clerk_token, contact)

    assert response.json()["data"]["owned_by_group"]["name"] == "Admin Unit"


def test_a_group_named_in_the_request_wins(clerk_token, contact):
    other = Group.objects.create(name="Sales", code="SAL")

    response = create(clerk_token, contact, owned_by_group_identifier={"code": "SAL"})

    assert response.json()["data"]["owned_by_group"]["name"] == "Sales"
    assert Communication.objects.get().owned_by_group == other


def test_a_user_in_no_group_leaves_it_empty(django_user_model, contact):
    django_user_model.objects.create_user("temp", password="s3cret-pass")
    login = APIClient().post("/crmapi/rest/v2/authentication/login", {"username": "temp", "password": "s3cret-pass"})

    response = create(login.json()["data"]["token"], contact)

    assert response.status_code == 200
    assert response.json()["data"]["owned_by_group"] is None


def test_an_api_key_acts_for_no_user(crm, contact, main_group):
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Call",
            "content": "Notes",
        },
    )

    assert response.status_code == 200
    assert response.json()["data"]["owned_by_group"] is None
