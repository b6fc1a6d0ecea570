"""Reads reused across entry points."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce

from .models import Activity, ActivityState, CustomFieldValue


def activities(is_test: bool, *, tags: bool = False, custom_fields: bool = False) -> QuerySet:
    """Activities of one mode with everything a list entry shows fetched up front (no query per row)."""
    queryset = Activity.objects.in_mode(is_test).select_related(
        "type", "contact", "lead", "service_request", "order", "assigned_user__identifier", "assigned_team"
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
