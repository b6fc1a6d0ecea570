"""The demo data tells a true story: things happen in order, returned letters say why, and no pick-list offers the
same name twice."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Classification, Group, PaymentTerms, Team
from activities.models import Activity, ActivityType, Tag
from communications.models import Category, PrivacyLevel, QueueExternalSystem, Template
from correspondence.models import CorrespondenceType
from postal.models import Letter, LetterStatus, Mailing, PostalAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())


def test_a_letter_is_lodged_cancelled_or_returned_only_after_it_was_received(demo):
    letters = Letter.objects.select_related("mailing")
    assert letters.exists()
    for letter in letters:
        assert letter.mailing.uploaded_on <= letter.received_on, letter.ref
        for later in (letter.lodged_on, letter.cancelled_on, letter.returned_on, letter.email_first_opened):
            assert later is None or later >= letter.received_on, letter.ref
        if letter.returned_on is not None:
            assert letter.lodged_on is not None and letter.lodged_on <= letter.returned_on, letter.ref
    assert Mailing.objects.filter(postal_account__code="ABC12345").count() == 3


def test_every_returned_letter_says_why(demo):
    returned = Letter.objects.filter(status=LetterStatus.RETURNED)

    assert returned.exists()
    assert not returned.filter(return_reason="").exists()


def test_an_activity_is_planned_before_it_is_due(demo):
    for activity in Activity.objects.all():
        assert activity.created_on <= activity.scheduled_from, activity.name
        assert activity.state_history.first().date == activity.created_on


@pytest.mark.parametrize(
    "pick_list",
    [
        ActivityType,
        Tag,
        Category,
        Template,
        QueueExternalSystem,
        PrivacyLevel,
        Team,
        Group,
        Classification,
        PaymentTerms,
        CorrespondenceType,
        PostalAccount,
    ],
)
def test_no_pick_list_offers_the_same_name_twice(demo, pick_list):
    names = Counter(pick_list.objects.values_list("name", flat=True))

    assert names and not [name for name, times in names.items() if times > 1]


def test_no_category_is_a_bare_code(demo):
    assert not Category.objects.filter(name__regex=r"^[0-9]+$").exists()
