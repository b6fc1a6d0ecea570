import csv
import sys
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from tqdm import tqdm

from accounts.commands import ActorCommand
from accounts.models import Team
from activities.selectors import overdue_activities

COLUMNS = ["id", "due", "overdue_hours", "name", "type", "contact", "contact_code", "user", "team"]
TABLE_ROW = "{:36}  {:16}  {:>13}  {:40.40}  {:15.15}  {:30.30}  {:12.12}  {:20.20}  {}"


class Command(ActorCommand):
    help = (
        "List pending activities whose schedule has passed (the end of the schedule, or its start when it has "
        "no end), oldest first: one line per activity with how many hours it is overdue, its contact and who "
        "it is assigned to. Times are in the server's time zone (TIME_ZONE). For ops reports; changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            help="Count as overdue what fell due before this ISO 8601 date/time (default: now), "
            "e.g. 2026-01-31T17:00:00+00:00.",
        )
        parser.add_argument("--team", help="Only activities assigned to this team (its name).")
        parser.add_argument("--user", help="Only activities assigned to this user (its username).")
        parser.add_argument("--test", action="store_true", help="Report test-mode activities instead of live ones.")
        parser.add_argument(
            "--format", choices=["table", "csv"], default="table", help="table (default) for people, csv for tools."
        )

    def handle(self, *args, as_of, team, user, test, format, **options):
        as_of = _moment(as_of) if as_of else timezone.now()
        overdue = overdue_activities(test, as_of)
        if team:
            if not Team.objects.filter(name=team).exists():
                raise CommandError(f"No team named {team!r}.")
            overdue = overdue.filter(assigned_team__name=team)
        if user:
            overdue = overdue.filter(assigned_user__username=user)

        total = overdue.count()
        rows = (_row(activity, as_of) for activity in overdue.iterator(chunk_size=2000))
        # The bar goes to the terminal's stderr (and only to a terminal), so the report pipes cleanly.
        rows = tqdm(rows, total=total, unit="activity", disable=None, file=sys.stderr)
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
            return
        self.stdout.write(TABLE_ROW.format(*COLUMNS))
        for row in rows:
            self.stdout.write(TABLE_ROW.format(*(str(value) for value in row)))
        mode = "test" if test else "live"
        noun = "activity" if total == 1 else "activities"
        self.stdout.write(f"{total} overdue {mode} {noun} as of {as_of:%Y-%m-%d %H:%M %Z}.")


def _moment(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        raise CommandError(f"--as-of takes an ISO 8601 date/time, not {text!r}.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _row(activity, as_of: datetime) -> list:
    hours = int((as_of - activity.due_on).total_seconds() // 3600)
    return [
        activity.id,
        timezone.localtime(activity.due_on).strftime("%Y-%m-%d %H:%M"),
        hours,
        activity.name,
        activity.type.name,
        activity.contact.full_name,
        activity.contact.code or "",
        activity.assigned_user.get_username() if activity.assigned_user else "",
        activity.assigned_team.name if activity.assigned_team else "",
    ]
