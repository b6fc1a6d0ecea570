"""Staff complete activities from the activity list in one go (a bulk action), saying what came of them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .helpers import confirm_if_asked, run_action, success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complete_two_activities_at_once(page, live_server, staff_login, screenshot, make_contact, make_activity):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    start = timezone.now() - timedelta(hours=3)

    def plan(name, start, end=None):
        return make_activity(contact=customer, name=name, scheduled_from=start, scheduled_to=end)

    visit = plan("Meter reading", start, start + timedelta(hours=1))
    call = plan("Follow-up call", start + timedelta(minutes=10))
    later = plan("Annual check", start + timedelta(days=7))

    staff_login()
    page.goto(f"{live_server.url}/admin/activities/activity/?state__exact=PENDING")
    screenshot("pending-activities")
    run_action(page, "Complete selected activities", visit.name, call.name, confirm=False)
    assert "Outcome" in page.inner_text("#content")
    # Completing asks what came of it; without an outcome the page is not sent and nothing is completed.
    confirm_if_asked(page)
    assert page.locator("#id_outcome").evaluate("box => box.required && !box.checkValidity()")
    visit.refresh_from_db()
    assert visit.state == "PENDING"
    page.fill("#id_outcome", "Meter read: 48213 kWh; customer asked for a paper bill.")
    screenshot("asks-for-the-outcome")
    confirm_if_asked(page)
    screenshot("completed")

    (reported,) = success_messages(page)
    assert str(visit) in reported and str(call) in reported
    for activity in (visit, call):
        activity.refresh_from_db()
        assert activity.state == "COMPLETED"
        assert activity.completed_on is not None
    later.refresh_from_db()
    assert (later.state, later.completed_on) == ("PENDING", None)

    # The outcome is in the activity's history, next to who completed it.
    page.goto(f"{live_server.url}/admin/activities/activity/{visit.pk}/change/")
    history = page.locator("#state_history-group").inner_text()
    assert "Meter read: 48213 kWh; customer asked for a paper bill." in history
    screenshot("outcome-in-the-history")
