"""What activities shows staff: overdue work and the user's work due today, overdue work per team."""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.backoffice import Attention, Bar, Chart

from .models import Activity, ActivityState
from .selectors import overdue_activities

LIVE = "is_test__exact=0"


def dashboard_attention(user) -> list[Attention]:
    changelist = reverse("admin:activities_activity_changelist")
    now = timezone.now()
    today = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    tomorrow = today + timedelta(days=1)
    mine_today = Activity.objects.in_mode(False).filter(
        state=ActivityState.PENDING, assigned_user=user, scheduled_from__gte=today, scheduled_from__lt=tomorrow
    )
    mine_query = urlencode(
        {
            "assigned_user__id__exact": user.pk,
            "state__exact": ActivityState.PENDING,
            "scheduled_from__gte": str(today),
            "scheduled_from__lt": str(tomorrow),
        }
    )
    return [
        Attention(
            "Overdue activities",
            overdue_activities(False, now).count(),
            f"{changelist}?overdue=yes&{LIVE}",
            "bad",
            "activities.view_activity",
        ),
        Attention(
            "My activities due today",
            mine_today.count(),
            f"{changelist}?{mine_query}&{LIVE}",
            "warn",
            "activities.view_activity",
        ),
    ]


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
            f"{changelist}?overdue=yes&{LIVE}&"
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
            url=f"{changelist}?overdue=yes&{LIVE}",
            note="" if bars else "Nothing overdue.",
            permission="activities.view_activity",
        )
    ]
