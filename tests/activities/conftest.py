"""Fixtures for the activities tests: settings (types, tags, custom fields), staff, and activities."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import Team
from activities import services
from activities.models import ActivityType, CustomFieldDefinition, Tag

from .helpers import FROM, TO, epoch


@pytest.fixture
def site_visit(db):
    return ActivityType.objects.create(name="site visit", color="876FD5")


@pytest.fixture
def call_type(db):
    return ActivityType.objects.create(name="call", color="2E86C1")


@pytest.fixture
def vip(db):
    return Tag.objects.create(name="VIP", colour="#0000FF")


@pytest.fixture
def maintenance(db):
    return Tag.objects.create(name="Maintenance", colour="#FF5733")


@pytest.fixture
def back_office(db):
    return CustomFieldDefinition.objects.create(key="back_office", label="Back office")


@pytest.fixture
def region(db):
    return CustomFieldDefinition.objects.create(key="region", label="Region")


@pytest.fixture
def agent(db):
    return get_user_model().objects.create_user("j_doe@crm.com", first_name="John", last_name="Doe")


@pytest.fixture
def outsider(db):
    return get_user_model().objects.create_user("outsider", first_name="Olga", last_name="Out")


@pytest.fixture
def support(agent):
    team = Team.objects.create(name="Support")
    team.members.add(agent)
    return team


@pytest.fixture
def field_service(outsider):
    team = Team.objects.create(name="Field Service")
    team.members.add(outsider)
    return team


@pytest.fixture
def make_activity(site_visit, contact):
    """An activity made through the service, as any entry point would; keyword arguments override."""

    def make(**fields):
        defaults = {
            "is_test": False,
            "name": "Call customer",
            "type": site_visit,
            "contact": contact,
            "scheduled_from": epoch(FROM),
            "scheduled_to": epoch(TO),
        }
        return services.create_activity(**{**defaults, **fields})

    return make


@pytest.fixture
def activity(make_activity):
    return make_activity()


@pytest.fixture
def read_only(make_api_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=make_api_key(scopes=["backoffice.read"]))
    return client
