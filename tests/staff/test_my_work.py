"""An activity-handling user opens the activities on "My work": what is overdue, due today and due in the next
7 days for them and their teams; the list filters by tomorrow and the next 7 days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_work_comes_first(
    at_noon, page, live_server, staff_login, screenshot, django_user_model, make_contact, make_activity
):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    staff_login()
    me = django_user_model.objects.get(username="staff")
    someone_else = django_user_model.objects.create_user("andreas", "andreas@example.com", "pw")
    team = Team.objects.create(name="Field visits")
    team.members.add(me)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    now = timezone.now()

    def plan(name, start, **assignment):
        return make_activity(contact=customer, name=name, scheduled_from=start, scheduled_to=None, **assignment)

    plan("Late meter reading", now - timedelta(hours=30), assigned_user=me)
    plan("Team call today", max(now + timedelta(minutes=5), now), assigned_team=team)
    plan("Visit tomorrow", today + timedelta(days=1, hours=10), assigned_user=me)
    plan("Check in five days", today + timedelta(days=5, hours=9), assigned_team=team)
    plan("Someone else's visit", today + timedelta(days=1, hours=11), assigned_user=someone_else)
    plan("Far away", today + timedelta(days=20), assigned_user=me)

    page.goto(f"{live_server.url}/admin/activities/activity/")
    screenshot("my-work")
    columns = {key: page.locator(f".my-work-{key}").inner_text() for key in ("overdue", "today", "next_7_days")}
    assert "Late meter reading" in columns["overdue"]
    assert "Team call today" in columns["today"]
    assert "Visit tomorrow" in columns["next_7_days"] and "Check in five days" in columns["next_7_days"]
    assert "Someone else's visit" not in page.locator(".my-work").inner_text()
    assert "Far away" not in page.locator(".my-work").inner_text()

    page.get_by_role("link", name="Tomorrow", exact=True).click()
    page.wait_for_url("**due=tomorrow**")
    names = page.locator("#result_list tbody td.field-name").all_inner_texts()
    assert "Visit tomorrow" in names and "Someone else's visit" in names
    assert "Check in five days" not in names and "Late meter reading" not in names
    screenshot("due-tomorrow")

    page.goto(f"{live_server.url}/admin/activities/activity/?mine=yes&due=next_7_days")
    names = page.locator("#result_list tbody td.field-name").all_inner_texts()
    assert sorted(names) == ["Check in five days", "Visit tomorrow"]
