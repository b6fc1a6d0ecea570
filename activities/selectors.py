"""Reads reused across entry points."""

from datetime import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Lead, Order, ServiceRequest, UserIdentifier

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
