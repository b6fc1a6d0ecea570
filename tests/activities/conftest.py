"""Fixtures of the activities tests: settings (another type, tags, custom fields), staff and teams, an activity."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Team
from activities.models import ActivityType, CustomFieldDefinition, Tag


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
def outsider(db):
    return get_user_model().objects.create_user("outsider", first_name="Olga", last_name="Out")


@pytest.fixture
def field_service(outsider):
    team = Team.objects.create(name="Field Service")
    team.members.add(outsider)
    return team


@pytest.fixture
def activity(make_activity):
    return make_activity()
