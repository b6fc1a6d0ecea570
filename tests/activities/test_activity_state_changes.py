"""The one place an activity changes state: PENDING → COMPLETED or CANCELLED, with its dated history."""

import pytest
import time_machine

from accounts.errors import IllegalTransition
from activities import services
from activities.models import Activity

from .helpers import epoch

pytestmark = pytest.mark.django_db

CLOSED = 1900000000


def history(activity) -> list[tuple[str, int]]:
    return [(change.state, int(change.date.timestamp())) for change in activity.state_history.all()]


def test_a_new_activity_is_pending_from_its_creation(make_activity):
    with time_machine.travel(epoch(1800000000), tick=False):
        activity = make_activity()

    assert activity.state == "PENDING"
    assert history(activity) == [("PENDING", 1800000000)]


def test_completing_records_the_date_and_sets_completed_on(make_activity):
    with time_machine.travel(epoch(1800000000), tick=False):
        activity = make_activity()

    with time_machine.travel(epoch(CLOSED), tick=False):
        services.complete_activity(activity)

    activity.refresh_from_db()
    assert (activity.state, activity.completed_on) == ("COMPLETED", epoch(CLOSED))
    assert history(activity) == [("PENDING", 1800000000), ("COMPLETED", CLOSED)]


def test_cancelling_records_the_date_but_no_completed_on(activity):
    with time_machine.travel(epoch(CLOSED), tick=False):
        services.cancel_activity(activity)

    activity.refresh_from_db()
    assert (activity.state, activity.completed_on) == ("CANCELLED", None)
    assert history(activity)[-1] == ("CANCELLED", CLOSED)


def test_the_callers_instance_reflects_the_change(activity):
    services.complete_activity(activity, on=epoch(CLOSED))

    assert (activity.state, activity.completed_on) == ("COMPLETED", epoch(CLOSED))


@pytest.mark.parametrize("first", [services.complete_activity, services.cancel_activity])
@pytest.mark.parametrize("then", [services.complete_activity, services.cancel_activity])
def test_a_closed_activity_stays_closed(activity, first, then):
    first(activity, on=epoch(CLOSED))
    before = (Activity.objects.get(pk=activity.pk).state, history(activity))

    with pytest.raises(IllegalTransition) as refused:
        then(Activity.objects.get(pk=activity.pk))

    assert refused.value.parameters[0] == "state"
    assert (Activity.objects.get(pk=activity.pk).state, history(activity)) == before


def test_a_stale_instance_cannot_close_an_activity_twice(activity):
    stale = Activity.objects.get(pk=activity.pk)
    services.complete_activity(activity, on=epoch(CLOSED))

    with pytest.raises(IllegalTransition):
        services.cancel_activity(stale)

    assert Activity.objects.get(pk=activity.pk).state == "COMPLETED"
    assert [state for state, _ in history(activity)] == ["PENDING", "COMPLETED"]


def test_there_is_no_way_back_to_pending(activity):
    services.complete_activity(activity, on=epoch(CLOSED))

    with pytest.raises(IllegalTransition):
        services.change_activity_state(activity, "PENDING")
