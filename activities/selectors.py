"""Reads reused across entry points."""

from datetime import datetime, timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Lead, Order, ServiceRequest, Team, UserIdentifier

from .models import Activity, ActivityState, CustomFieldValue


def _shown(model, field: str, key: str = "pk", outer: str = "") -> Subquery:
    return Subquery(model.objects.filter(**{key: OuterRef(outer)}).values(field)[:1])


# What an activity shows of its lead, service request or order and of its user, read as scalar subqueries: joining
# those four tables as well made PostgreSQL plan each page about thirty times longer (some 30 ms).
SHOWN = {
    "lead_title": _shown(Lead, "title", outer="lead_id"),
    "service_request_number": _shown(ServiceRequest, "number", outer="service_request_id"),
    "order_number": _shown(Order, "number", outer="order_id"),
    "assigned_user_guid": _shown(UserIdentifier, "guid", key="user_id", outer="assigned_user_id"),
}


def activities(is_test: bool, *, tags: bool = False, custom_fields: bool = False) -> QuerySet:
    """Activities of one mode with everything a list entry shows fetched up front (no query per row)."""
    queryset = (
        Activity.objects.in_mode(is_test)
        .select_related("type", "contact", "assigned_user", "assigned_team")
        .annotate(**SHOWN)
    )
    if tags:
        queryset = queryset.prefetch_related("tags")
    if custom_fields:
        queryset = queryset.prefetch_related(
            Prefetch("custom_field_values", queryset=CustomFieldValue.objects.select_related("definition"))
        )
    return queryset


def activity_details(is_test: bool) -> QuerySet:
    return activities(is_test, custom_fields=True).select_related("address").prefetch_related("state_history")


def overdue_activities(is_test: bool, as_of: datetime) -> QuerySet:
    """Pending activities whose schedule ended (or, with no end, began) before `as_of`, oldest first."""
    return (
        Activity.objects.in_mode(is_test)
        .filter(state=ActivityState.PENDING)
        .alias(due=Coalesce("scheduled_to", "scheduled_from"))
        .filter(due__lt=as_of)
        .select_related("type", "contact", "assigned_user", "assigned_team")
        .order_by("due", "id")
    )


def my_work(user, now: datetime) -> dict[str, QuerySet]:
    """Pending activities assigned to the user or to one of their teams: overdue, due today, due in the next 7
    days (after today), each soonest first."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow, week_end = today + timedelta(days=1), today + timedelta(days=8)
    pending = (
        Activity.objects.filter(state=ActivityState.PENDING)
        .filter(Q(assigned_user=user) | Q(assigned_team__in=Team.objects.filter(members=user)))
        .alias(due=Coalesce("scheduled_to", "scheduled_from"))
        .select_related("type", "contact", "assigned_user", "assigned_team")
        .order_by("due", "id")
    )
    return {
        "overdue": pending.filter(due__lt=now),
        "today": pending.filter(due__gte=now, due__lt=tomorrow),
        "next_7_days": pending.filter(due__gte=tomorrow, due__lt=week_end),
    }
