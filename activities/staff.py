"""What activities shows staff: overdue work per team on the dashboard."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.backoffice import Bar, Chart

from .selectors import overdue_activities


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
