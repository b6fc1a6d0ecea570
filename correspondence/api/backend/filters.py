"""The list filters of /backend/api/v1/ correspondence (seed 000's additional query parameters)."""

import django_filters
from drf_spectacular.types import OpenApiTypes

from accounts.api.parsers import QueryFilterSet
from accounts.api.schema import documented
from correspondence.models import Correspondence

from .dialect import FlagFilter

# Dates are ISO 8601 only: a locale's 03/05/2026 would mean different days to different callers.
ISO_DATE = ["%Y-%m-%d"]


def dated(lookup_expr: str, help_text: str) -> django_filters.DateFilter:
    """A bound on the correspondence date (not the creation time), documented as the text it is given as."""
    bound = django_filters.DateFilter(
        field_name="correspondence_date", lookup_expr=lookup_expr, input_formats=ISO_DATE, help_text=help_text
    )
    return documented(OpenApiTypes.STR, bound)


class CorrespondenceFilterSet(QueryFilterSet):
    correspondenceType = django_filters.CharFilter(
        field_name="correspondence_type__name", lookup_expr="iexact", help_text="Only correspondence of the named type."
    )
    minDate = dated("gte", "Only correspondence dated on or after (YYYY-MM-DD).")
    maxDate = dated("lte", "Only correspondence dated on or before (YYYY-MM-DD).")
    createdSince = documented(
        OpenApiTypes.STR,
        django_filters.DateTimeFilter(
            field_name="created_on",
            lookup_expr="gte",
            help_text="Only records created in the platform at or after (ISO 8601 date or time).",
        ),
    )
    delivered = FlagFilter(method="only_delivered", help_text="Flag: only delivered correspondence.")
    undelivered = FlagFilter(method="only_undelivered", help_text="Flag: only undelivered correspondence.")

    class Meta:
        model = Correspondence
        fields = []

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("delivered") and self.form.cleaned_data.get("undelivered"):
            # The document: the two flags are mutually exclusive, and together they match nothing.
            return queryset.none()
        return super().filter_queryset(queryset)

    def only_delivered(self, queryset, name, value):
        return queryset.filter(delivered_on__isnull=False) if value else queryset

    def only_undelivered(self, queryset, name, value):
        return queryset.filter(delivered_on__isnull=True) if value else queryset
