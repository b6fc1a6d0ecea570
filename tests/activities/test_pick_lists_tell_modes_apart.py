"""Live and test activity types and tags share names; every pick-list of the back-office tells them apart."""

import re

import pytest

from activities.models import ActivityType, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_modes(site_visit):
    ActivityType.objects.create(name="site visit", is_test=True)
    Tag.objects.create(name="VIP")
    Tag.objects.create(name="VIP", is_test=True)


def _options(page: str, select: str) -> list[str]:
    block = re.search(rf'<select name="{select}".*?</select>', page, re.S).group(0)
    return [
        label.strip()
        for label in re.findall(r"<option[^>]*>([^<]*)</option>", block)
        if label.strip() and not label.startswith("-")
    ]


def test_the_activity_form_offers_each_type_and_tag_once_per_mode(staff, both_modes):
    page = staff.get("/admin/activities/activity/add/").content.decode()

    assert _options(page, "type") == ["site visit", "site visit (test)"]
    assert _options(page, "tags") == ["VIP", "VIP (test)"]


def test_the_list_filters_tell_the_modes_apart(staff, both_modes):
    page = staff.get("/admin/activities/activity/").content.decode()

    assert page.count(">site visit (test)<") == 1 and page.count(">VIP (test)<") == 1
    assert page.count(">site visit<") == 1 and page.count(">VIP<") == 1
