import io

import pytest
from django.core.management import call_command

from activities.models import Activity, ActivityType, Tag

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_documented_type_and_tag_and_some_activities():
    call_command("seed_demo", stdout=io.StringIO())

    for is_test, suffix in ((False, ""), (True, " (test)")):
        assert ActivityType.objects.in_mode(is_test).filter(name=f"site visit{suffix}").exists()
        assert Tag.objects.in_mode(is_test).filter(name=f"VIP{suffix}").exists()
    activities = Activity.objects.in_mode(False)
    assert activities.count() == 4
    assert {activity.contact.code for activity in activities} == {"C123", "C124", "C200"}
    assert all(activity.address is not None and activity.assigned_user is not None for activity in activities)
    assert activities.filter(tags__name="VIP").count() == 2


def test_the_demo_activities_are_for_the_records_seed_004_shows():
    call_command("seed_demo", stdout=io.StringIO())

    linked = {
        activity.name: (activity.contact.code, activity.linked.number if activity.linked else None)
        for activity in Activity.objects.in_mode(False).select_related("contact", "lead", "service_request", "order")
    }

    assert linked == {
        "Call customer": ("C123", "O101367"),
        "Site visit for the boiler service": ("C124", "SRV78001"),
        "Present the broadband offer": ("C124", "60"),
        "Quarterly review on site": ("C200", None),
    }
    visit = Activity.objects.get(name="Site visit for the boiler service")
    # use_entity_address: the service request's address, where the boiler is.
    assert visit.address == visit.service_request.address


def test_seed_demo_twice_adds_nothing_more():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert Activity.objects.count() == 4
    assert ActivityType.objects.filter(name__startswith="site visit").count() == 2
    assert "Activities: 0 new activities" in out.getvalue()
