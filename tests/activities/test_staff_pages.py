"""Activities on the staff dashboard (overdue per team) (the customer's page: tests/insights/)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import backoffice

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_overdue_activities_per_team(client, staff_user, make_activity, support, field_service):
    past = timezone.now() - timedelta(days=2)
    for _ in range(2):
        make_activity(scheduled_from=past, scheduled_to=past + timedelta(hours=1), assigned_team=support)
    make_activity(scheduled_from=past, scheduled_to=past + timedelta(hours=1), assigned_team=field_service)
    make_activity(scheduled_from=timezone.now() + timedelta(days=1), scheduled_to=None, assigned_team=field_service)
    client.force_login(staff_user)

    (chart,) = [c for c in backoffice.dashboard_charts(staff_user) if c.title == "Activities overdue per team"]
    page = client.get("/admin/").content.decode()

    assert [(bar.label, bar.value) for bar in chart.bars] == [("Support", 2), ("Field Service", 1)]
    assert f"assigned_team__id__exact={support.pk}" in chart.bars[0].url
    assert "Activities overdue per team" in page
    overdue_list = client.get(chart.bars[0].url)
    assert overdue_list.status_code == 200
    assert overdue_list.context["cl"].result_count == 2


def test_staff_without_the_view_permission_do_not_see_the_chart(make_activity):
    clerk = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    assert not [c for c in backoffice.dashboard_charts(clerk) if c.title == "Activities overdue per team"]
