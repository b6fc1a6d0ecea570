"""Staff plan and close activities in the admin; bulk actions go through the same services as the API."""

import pytest
from django.contrib.messages import get_messages

from activities import services
from activities.models import Activity

from .helpers import FROM, epoch

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/activities/activity/"


def run_action(admin_client, action, activities, **fields):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "confirm": "yes", "_selected_action": [str(a.pk) for a in activities], **fields},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_bulk_complete_reports_each_row(admin_client, make_activity):
    pending = make_activity(name="Call customer")
    cancelled = make_activity(name="Old visit")
    services.cancel_activity(cancelled)

    response = run_action(admin_client, "complete", [pending, cancelled], outcome="Agreed a new payment date.")

    pending.refresh_from_db(), cancelled.refresh_from_db()
    assert (pending.state, cancelled.state) == ("COMPLETED", "CANCELLED")
    assert pending.completed_on is not None
    assert [(change.state, change.note) for change in pending.state_history.all()] == [
        ("PENDING", ""),
        ("COMPLETED", "Agreed a new payment date."),
    ]
    messages = messages_of(response)
    assert "Completed: Call customer" in messages
    assert "Not completed — Old visit: A cancelled activity cannot be completed." in messages


def test_bulk_cancel_reports_each_row(admin_client, make_activity):
    first, second = make_activity(name="First"), make_activity(name="Second")
    services.complete_activity(second)

    response = run_action(admin_client, "cancel", [first, second])

    assert list(Activity.objects.order_by("name").values_list("name", "state")) == [
        ("First", "CANCELLED"),
        ("Second", "COMPLETED"),
    ]
    assert "Cancelled: First" in messages_of(response)
    assert "Not cancelled — Second: A completed activity cannot be cancelled." in messages_of(response)


def test_the_list_reads_like_a_calendar(admin_client, make_activity):
    make_activity(name="Later", scheduled_from=epoch(FROM + 7200), scheduled_to=None)
    make_activity(name="Sooner", scheduled_from=epoch(FROM), scheduled_to=None)

    page = admin_client.get(CHANGELIST).content.decode()

    assert page.index("Sooner") < page.index("Later")
    assert "876FD5" in page  # the type's colour


@pytest.mark.parametrize(
    "query",
    [
        "type__id__exact={type}",
        "state__exact=PENDING",
        "assigned_user__id__exact={user}",
        "assigned_team__id__exact={team}",
        "tags__id__exact={tag}",
        # as the admin's own date filter links them: aware datetimes
        "scheduled_from__gte=2020-06-22+00:00:00%2B00:00&scheduled_from__lt=2020-06-23+00:00:00%2B00:00",
        "scheduled_from__year=2020&scheduled_from__month=6",
        "q=Call",
    ],
)
def test_each_filter_finds_the_activity(admin_client, make_activity, site_visit, agent, support, vip, query):
    activity = make_activity(assigned_user=agent, assigned_team=support)
    activity.tags.add(vip)
    query = query.format(type=site_visit.id, user=agent.id, team=support.id, tag=vip.id)

    response = admin_client.get(f"{CHANGELIST}?{query}")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [activity]


def _add_form(contact, site_visit, **overrides) -> dict:
    form = {
        "name": "Site visit",
        "type": str(site_visit.id),
        "scheduled_from": "2026-06-22T09:00",
        "scheduled_to": "2026-06-22T11:00",
        "contact": str(contact.id),
        "custom_field_values-TOTAL_FORMS": "0",
        "custom_field_values-INITIAL_FORMS": "0",
        "state_history-TOTAL_FORMS": "0",
        "state_history-INITIAL_FORMS": "0",
    }
    form.update(overrides)
    return form


def test_staff_plan_an_activity_that_starts_pending(admin_client, contact, site_visit, agent, support):
    form = _add_form(contact, site_visit, assigned_user=str(agent.id), assigned_team=str(support.id))

    response = admin_client.post("/admin/activities/activity/add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get()
    assert (activity.state, activity.assigned_user, activity.assigned_team) == ("PENDING", agent, support)
    assert [change.state for change in activity.state_history.all()] == ["PENDING"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"assigned_user": "{outsider}", "assigned_team": "{support}"}, "is not in Support. Add them to the team"),
        ({"scheduled_to": "2026-06-22T08:00"}, "The schedule cannot end before it starts."),
        ({"address": "{other_address}"}, "The address belongs to another contact."),
        ({"lead": "{other_lead}"}, "belongs to another contact."),
        ({"lead": "{lead}", "order": "{order}"}, "An activity is for at most one lead, service request or order."),
        ({"tags": "{test_tag}"}, "A tag belongs to the other mode (live/test)."),
    ],
)
def test_the_admin_holds_to_the_same_rules(
    admin_client, contact, make_contact, make_lead, make_order, site_visit, outsider, support, overrides, message
):
    someone_else = make_contact()
    values = {
        "outsider": outsider.id,
        "support": support.id,
        "other_address": someone_else.addresses.get().id,
        "other_lead": make_lead(someone_else).id,
        "lead": make_lead(contact).id,
        "order": make_order(contact).id,
        "test_tag": services.create_tag(is_test=True, name="VIP").id,
    }
    form = _add_form(contact, site_visit, **{key: value.format(**values) for key, value in overrides.items()})

    response = admin_client.post("/admin/activities/activity/add/", form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_staff_link_an_activity_to_the_contacts_service_request(
    admin_client, contact, site_visit, make_service_request
):
    service_request = make_service_request(contact)

    response = admin_client.post(
        "/admin/activities/activity/add/", _add_form(contact, site_visit, service_request=str(service_request.id))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Activity.objects.get().service_request == service_request


def test_completing_without_an_outcome_completes_nothing(admin_client, make_activity):
    pending = make_activity(name="Call customer")

    response = run_action(admin_client, "complete", [pending], outcome="  ")

    assert "This field is required." in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == "PENDING"


def test_a_saved_activity_keeps_its_contact(admin_client, activity):
    page = admin_client.get(f"/admin/activities/activity/{activity.pk}/change/")

    assert "contact" not in page.context["adminform"].form.fields
    assert "state" not in page.context["adminform"].form.fields
