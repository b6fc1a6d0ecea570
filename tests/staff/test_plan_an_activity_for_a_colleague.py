"""A staff member plans an activity for a colleague of another team: offered to add her to the team, she is
emailed through the outbound channel."""

import pytest

from accounts.models import Team
from activities.models import Activity

from .helpers import success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, field: str, typed: str, option: str) -> None:
    """Pick a value in an autocomplete box as a person does: open it, type, click the option."""
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.click(f".select2-results__option:has-text('{option}')")


def test_plan_an_activity_for_a_colleague_in_another_team(
    page, live_server, staff_login, screenshot, smtp_server, django_user_model, make_contact, site_visit
):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    staff_login()
    me = django_user_model.objects.get(username="staff")
    eleni = django_user_model.objects.create_user(
        "eleni", "eleni@example.com", "pw", first_name="Eleni", last_name="Christou", is_staff=True
    )
    field_team, billing = Team.objects.create(name="Field visits"), Team.objects.create(name="Billing")
    field_team.members.add(me)
    billing.members.add(eleni)

    page.goto(f"{live_server.url}/admin/activities/activity/add/?contact={customer.pk}")
    page.fill("#id_name", "Read the meter")
    page.select_option("#id_type", label="site visit")
    page.fill("#id_scheduled_from", "2026-12-09T09:35")
    page.fill("#id_scheduled_to", "2026-12-09T10:10")
    pick(page, "assigned_user", "Eleni", "eleni")
    page.select_option("#id_assigned_team", label="Field visits")
    page.click("input[name=_save]")

    # Not an error: a choice naming her and the team.
    choice = page.locator(".field-when_not_in_team")
    assert "Eleni Christou is not in Field visits" in choice.inner_text()
    assert not Activity.objects.exists()
    screenshot("asks-about-the-team")
    page.get_by_label("Add Eleni Christou to Field visits and assign the activity to both").check()
    page.click("input[name=_save]")
    page.wait_for_load_state()
    screenshot("planned")

    assert any(
        "Eleni Christou was emailed about it" in text for text in page.locator("ul.messagelist li").all_inner_texts()
    )
    activity = Activity.objects.get()
    assert (activity.assigned_user, activity.assigned_team) == (eleni, field_team)
    assert (activity.scheduled_from.hour, activity.scheduled_from.minute) == (9, 35)
    assert field_team.members.filter(pk=eleni.pk).exists()
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["eleni@example.com"]
    assert mail.message["Subject"] == "Assigned to you: Read the meter, 9 Dec 2026, 09:35"
    assert "Maria Georgiou" in mail.message.get_content()


def test_assign_her_directly_without_the_team(
    page, live_server, staff_login, screenshot, smtp_server, django_user_model, make_contact, site_visit
):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    staff_login()
    django_user_model.objects.create_user("eleni", "eleni@example.com", "pw", first_name="Eleni", last_name="Christou")
    field_team = Team.objects.create(name="Field visits")

    page.goto(f"{live_server.url}/admin/activities/activity/add/?contact={customer.pk}")
    page.fill("#id_name", "Call back")
    page.select_option("#id_type", label="site visit")
    page.fill("#id_scheduled_from", "2026-12-09T16:20")
    pick(page, "assigned_user", "Eleni", "eleni")
    page.select_option("#id_assigned_team", label="Field visits")
    page.click("input[name=_save]")
    page.get_by_label("Assign it to Eleni Christou directly, without the team").check()
    page.click("input[name=_save]")
    page.wait_for_load_state()
    screenshot("assigned-directly")

    activity = Activity.objects.get()
    assert (activity.assigned_user.username, activity.assigned_team) == ("eleni", None)
    assert not field_team.members.exists()
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["eleni@example.com"]]
    assert success_messages(page)
