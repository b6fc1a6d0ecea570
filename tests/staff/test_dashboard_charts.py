"""Staff see the dashboard's charts on the admin index; a bar leads to the list behind it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overdue_bar_leads_to_the_teams_overdue_activities(
    page, live_server, staff_login, screenshot, make_contact, make_activity, make_correspondence
):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    field, office = Team.objects.create(name="Field service"), Team.objects.create(name="Back office")
    past = timezone.now() - timedelta(days=2)

    def plan(name, start, end=None, team=None):
        return make_activity(contact=customer, name=name, scheduled_from=start, scheduled_to=end, assigned_team=team)

    overdue = plan("Meter reading", past, past + timedelta(hours=1), team=field)
    plan("Paperwork", past, past + timedelta(hours=1), team=office)
    plan("Paperwork again", past, past + timedelta(hours=1), team=office)
    plan("Next week's visit", timezone.now() + timedelta(days=7), team=field)
    make_correspondence(customer)

    staff_login()
    screenshot("dashboard")

    overdue_chart = page.locator("svg[aria-label='Activities overdue per team']")
    assert overdue_chart.count() == 1
    bars = overdue_chart.locator("a title").all_text_contents()
    assert bars == ["Back office: 2", "Field service: 1"]
    letters_chart = page.locator("svg[aria-label='Correspondence by status']")
    assert "Ready, not sent: 1" in letters_chart.locator("a title").all_text_contents()

    field_bar = overdue_chart.locator("a", has=page.locator("title", has_text="Field service"))
    field_bar.locator("rect").click()
    page.wait_for_load_state()
    screenshot("field-service-overdue")

    assert "/admin/activities/activity/" in page.url and "overdue=yes" in page.url
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert overdue.name in rows.first.inner_text()
