"""What activities shows staff: overdue work per team on the dashboard, and a customer's activities."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.backoffice import Bar, Chart, Entry, Section

from .selectors import overdue_activities

# A customer page lists this many activities; "all" leads to the filtered list.
CUSTOMER_ACTIVITIES = 20


def dashboard_charts() -> list[Chart]:
    changelist = reverse("admin:activities_activity_changelist")
    per_team = (
        overdue_activities(False, timezone.now())
        .order_by()
        .values("assigned_team_id", "assigned_team__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    bars = [
        Bar(
            row["assigned_team__name"] or "No team",
            row["n"],
            f"{changelist}?overdue=yes&"
            + (
                f"assigned_team__id__exact={row['assigned_team_id']}"
                if row["assigned_team_id"]
                else "assigned_team__isnull=True"
            ),
            "bad",
        )
        for row in per_team
    ]
    return [
        Chart(
            "Activities overdue per team",
            bars,
            url=f"{changelist}?overdue=yes",
            note="" if bars else "Nothing overdue.",
            permission="activities.view_activity",
        )
    ]


def customer_sections(contact) -> list[Section]:
    activities = contact.activities.select_related("type", "assigned_user").order_by("-created_on")
    entries = [
        Entry(
            activity.created_on,
            activity.name,
            f"{activity.type.name} · {activity.get_state_display()} · {activity.scheduled_from:%Y-%m-%d %H:%M}",
            reverse("admin:activities_activity_change", args=[activity.pk]),
        )
        for activity in activities[:CUSTOMER_ACTIVITIES]
    ]
    return [
        Section(
            "Activities",
            entries,
            list_url=reverse("admin:activities_activity_changelist") + f"?contact__id__exact={contact.pk}",
            permission="activities.view_activity",
        )
    ]
