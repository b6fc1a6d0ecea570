"""An activity's state history reads in words and the back-office's one date format, never codes."""

import pytest
from django.utils import timezone
from django.utils.formats import localize

pytestmark = pytest.mark.django_db


def test_the_state_history_names_the_state_and_the_local_time(staff, make_activity):
    activity = make_activity()
    step = activity.state_history.get()

    page = staff.get(f"/admin/activities/activity/{activity.pk}/change/").content.decode()

    assert f"Pending on {localize(timezone.localtime(step.date))}" in page
    assert "PENDING on" not in page
