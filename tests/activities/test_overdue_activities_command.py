"""`manage.py overdue_activities`: pending work past its schedule, for ops reports."""

import csv
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from activities import services
from activities.models import ActivityType

from .helpers import epoch

pytestmark = pytest.mark.django_db

NOW = 1900000000
HOUR = 3600


def report(*args) -> str:
    out = io.StringIO()
    with time_machine.travel(epoch(NOW), tick=False):
        call_command("overdue_activities", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def schedule(make_activity, make_contact, agent, support, outsider):
    """Two overdue (one by its end, one by its start), one running, one due later, one closed, one in test mode."""
    made = {
        "ended": make_activity(
            name="Ended visit",
            scheduled_from=epoch(NOW - 5 * HOUR),
            scheduled_to=epoch(NOW - 3 * HOUR),
            assigned_user=agent,
            assigned_team=support,
        ),
        "started": make_activity(
            name="Open-ended call", scheduled_from=epoch(NOW - 30 * HOUR), scheduled_to=None, assigned_user=outsider
        ),
        "running": make_activity(
            name="Running visit", scheduled_from=epoch(NOW - HOUR), scheduled_to=epoch(NOW + HOUR)
        ),
        "later": make_activity(name="Tomorrow", scheduled_from=epoch(NOW + 24 * HOUR), scheduled_to=None),
        "closed": make_activity(name="Done already", scheduled_from=epoch(NOW - 50 * HOUR), scheduled_to=None),
    }
    services.complete_activity(made["closed"])
    make_activity(
        is_test=True,
        name="Sandbox visit",
        contact=make_contact(is_test=True),
        type=ActivityType.objects.create(name="site visit", is_test=True),
        scheduled_from=epoch(NOW - 10 * HOUR),
        scheduled_to=None,
    )
    return made


def test_lists_pending_activities_past_their_schedule_oldest_first(schedule):
    rows = list(csv.DictReader(io.StringIO(report("--format", "csv"))))

    assert [(row["name"], row["overdue_hours"]) for row in rows] == [("Open-ended call", "30"), ("Ended visit", "3")]
    assert rows[1]["id"] == str(schedule["ended"].id)
    assert (rows[1]["user"], rows[1]["team"], rows[1]["type"]) == ("j_doe@crm.com", "Support", "site visit")


def test_the_table_ends_with_a_count(schedule):
    lines = report().splitlines()

    assert lines[0].split()[:3] == ["id", "due", "overdue_hours"]
    assert "Open-ended call" in lines[1] and "Ended visit" in lines[2]
    assert lines[-1].startswith("2 overdue live activities as of")


def test_as_of_moves_the_cut_off(schedule):
    rows = list(csv.DictReader(io.StringIO(report("--format", "csv", "--as-of", "2030-03-19T00:00:00+00:00"))))

    assert {row["name"] for row in rows} == {"Open-ended call", "Ended visit", "Running visit", "Tomorrow"}


def test_narrowed_to_a_team_or_a_user(schedule):
    by_team = list(csv.DictReader(io.StringIO(report("--format", "csv", "--team", "Support"))))
    by_user = list(csv.DictReader(io.StringIO(report("--format", "csv", "--user", "outsider"))))

    assert [row["name"] for row in by_team] == ["Ended visit"]
    assert [row["name"] for row in by_user] == ["Open-ended call"]


def test_test_mode_is_reported_apart(schedule):
    rows = list(csv.DictReader(io.StringIO(report("--format", "csv", "--test"))))

    assert [row["name"] for row in rows] == ["Sandbox visit"]


def test_it_changes_nothing(schedule):
    report()

    assert {activity.state for name, activity in schedule.items() if name != "closed"} == {"PENDING"}


@pytest.mark.parametrize(("args", "message"), [(["--as-of", "friday"], "ISO 8601"), (["--team", "Nobody"], "No team")])
def test_bad_options_are_refused(schedule, args, message):
    with pytest.raises(CommandError, match=message):
        report(*args)


def test_help_explains_the_report(capsys):
    with pytest.raises(SystemExit):
        call_command("overdue_activities", "--help")

    shown = capsys.readouterr().out
    assert "pending activities whose schedule has passed" in shown
    assert "--as-of" in shown and "--format" in shown
