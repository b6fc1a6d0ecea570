import django_filters
from drf_spectacular.utils import OpenApiParameter

from accounts.api.errors import first_validation_error
from accounts.errors import InvalidValue
from correspondence.models import Correspondence

from .dialect import parse_flag

# Dates are ISO 8601 only: a locale's 03/05/2026 would mean different days to different callers.
ISO_DATE = ["%Y-%m-%d"]


class CorrespondenceFilter(django_filters.FilterSet):
    correspondenceType = django_filters.CharFilter(field_name="correspondence_type__name", lookup_expr="iexact")
    minDate = django_filters.DateFilter(field_name="correspondence_date", lookup_expr="gte", input_formats=ISO_DATE)
    maxDate = django_filters.DateFilter(field_name="correspondence_date", lookup_expr="lte", input_formats=ISO_DATE)
    createdSince = django_filters.DateTimeFilter(field_name="created_on", lookup_expr="gte")

    class Meta:
        model = Correspondence
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        delivered, undelivered = parse_flag(self.data, "delivered"), parse_flag(self.data, "undelivered")
        if delivered and undelivered:
            # The document: the two flags are mutually exclusive, and together they match nothing.
            return queryset.none()
        if delivered:
            queryset = queryset.filter(delivered_on__isnull=False)
        if undelivered:
            queryset = queryset.filter(delivered_on__isnull=True)
        return queryset


def filter_correspondence(queryset, params):
    """The list filters of the document, applied to `queryset`; a malformed value is an InvalidValue."""
    filterset = CorrespondenceFilter(params, queryset)
    if not filterset.is_valid():
        field, message, _ = first_validation_error(filterset.errors)
        raise InvalidValue(f"{field}: {message}", field=field)
    return filterset.qs


FILTER_PARAMETERS = [
    OpenApiParameter("correspondenceType", str, description="Only correspondence of the named type."),
    OpenApiParameter("delivered", bool, description="Flag: only delivered correspondence."),
    OpenApiParameter("undelivered", bool, description="Flag: only undelivered correspondence."),
    OpenApiParameter("minDate", str, description="Only correspondence dated on or after (YYYY-MM-DD)."),
    OpenApiParameter("maxDate", str, description="Only correspondence dated on or before (YYYY-MM-DD)."),
    OpenApiParameter(
        "createdSince", str, description="Only records created in the platform at or after (ISO 8601 date or time)."
    ),
]
