"""The person an activity is newly assigned to is emailed through the outbound channel, whichever way it came in."""

import pytest
from django.contrib.auth import get_user_model

from accounts.actors import Actor, reset_actor, set_actor
from accounts.models import Team
from activities import services
from activities.models import Activity

from .helpers import create_body, guid

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities"


@pytest.fixture
def eleni(db):
    return get_user_model().objects.create_user(
        "eleni", "eleni@example.com", "pw", first_name="Eleni", last_name="Christou"
    )


def test_assigning_through_the_api_emails_the_assignee(
    backoffice, contact, site_visit, eleni, smtp_server, django_capture_on_commit_callbacks
):
    body = create_body(contact, site_visit, name="Read the meter", assign_to={"user_id": guid(eleni)})

    with django_capture_on_commit_callbacks(execute=True):
        response = backoffice.post(URL, body, format="json")

    assert response.status_code == 201
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["eleni@example.com"]
    assert mail.message["Subject"].startswith("Assigned to you: Read the meter, ")
    text = mail.message.get_content()
    assert "Hello Eleni Christou," in text and str(contact) in text and "site visit" in text


def test_only_a_change_of_assignee_is_told(
    backoffice, make_activity, eleni, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(assigned_user=eleni)
    assert len(smtp_server.received) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = backoffice.put(f"{URL}/{activity.pk}", {"name": "Read the meter again"}, format="json")

    assert response.status_code == 200
    assert len(smtp_server.received) == 1


def test_nobody_is_emailed_who_has_no_address_or_assigned_it_to_themselves(
    make_activity, agent, eleni, smtp_server, django_capture_on_commit_callbacks
):
    token = set_actor(Actor.staff(eleni))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_activity(assigned_user=agent)
            make_activity(assigned_user=eleni)
    finally:
        reset_actor(token)

    assert Activity.objects.count() == 2
    assert smtp_server.received == []


def test_an_assignee_outside_the_team_joins_it_when_asked(
    make_activity, contact, site_visit, eleni, smtp_server, django_capture_on_commit_callbacks
):
    team = Team.objects.create(name="Field visits")
    activity = Activity(
        is_test=False, name="Visit", type=site_visit, contact=contact, scheduled_from=make_activity().scheduled_from
    )
    activity.assigned_user, activity.assigned_team = eleni, team

    with django_capture_on_commit_callbacks(execute=True):
        services.save_activity(activity, add_assignee_to_team=True)

    assert list(team.members.all()) == [eleni]
    assert Activity.objects.get(pk=activity.pk).assigned_team == team
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["eleni@example.com"]]


def test_without_being_asked_an_assignee_outside_the_team_is_refused(make_activity, contact, site_visit, eleni):
    team = Team.objects.create(name="Field visits")
    activity = make_activity()

    with pytest.raises(Exception, match="not a member of team Field visits"):
        services.update_activity(activity, assigned_user=eleni, assigned_team=team)

    assert not team.members.exists()
    assert Activity.objects.get(pk=activity.pk).assigned_user is None


def test_completing_keeps_the_outcome_in_the_history(make_activity):
    activity = make_activity()

    services.complete_activity(activity, outcome="  Meter read: 48213 kWh.  ")

    step = activity.state_history.get(state="COMPLETED")
    assert step.note == "Meter read: 48213 kWh."


def test_a_name_on_several_lines_is_refused_and_nobody_is_emailed(
    backoffice, contact, site_visit, eleni, smtp_server, django_capture_on_commit_callbacks
):
    body = create_body(contact, site_visit, name="Read the meter\nand the gas", assign_to={"user_id": guid(eleni)})

    with django_capture_on_commit_callbacks(execute=True):
        response = backoffice.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["parameters"][0] == "name"
    assert smtp_server.received == []
