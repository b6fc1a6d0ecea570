"""The list filters of GET /activities/, one FilterSet for the model; bad values become v2 errors."""

import uuid
from datetime import UTC, datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.errors import InvalidValue
from activities.models import (
    Activity,
    ActivityState,
    ActivityType,
    CustomFieldDefinition,
    CustomFieldValue,
    ReferenceType,
)

EPOCH_OPERATORS = ("gt", "gte", "lt", "lte")


class EpochField(forms.IntegerField):
    """Seconds since 1970-01-01 UTC, as the seed's dates are written."""

    def to_python(self, value):
        seconds = super().to_python(value)
        if seconds is None:
            return None
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise forms.ValidationError("Enter a date as whole seconds since 1970 (epoch).", code="invalid") from None


@extend_schema_field(OpenApiTypes.INT)
class EpochFilter(django_filters.Filter):
    field_class = EpochField


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class UUIDInFilter(django_filters.BaseInFilter, django_filters.UUIDFilter):
    pass


class StateInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    pass


class ActivityFilterSet(django_filters.FilterSet):
    search_value = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the activity name (case-insensitive)."
    )
    types = CharInFilter(method="filter_types", help_text="Activity type ids or names, comma-separated.")
    contact_id = django_filters.UUIDFilter(field_name="contact_id", help_text="The related contact.")
    lead_id = django_filters.CharFilter(method="filter_reference", help_text="The related lead.")
    service_request_id = django_filters.CharFilter(method="filter_reference", help_text="The related service request.")
    order_id = django_filters.CharFilter(method="filter_reference", help_text="The related order.")
    states = StateInFilter(
        field_name="state", choices=ActivityState.choices, help_text="PENDING, COMPLETED, CANCELLED; comma-separated."
    )
    tag_ids = UUIDInFilter(method="filter_tags", help_text="Activities carrying any of these tags; comma-separated.")
    assign_to_user_id = WholeNumberFilter(field_name="assigned_user_id", help_text="The assigned user.")
    assign_to_team_id = django_filters.UUIDFilter(field_name="assigned_team_id", help_text="The assigned team.")
    custom_fields = django_filters.CharFilter(
        method="filter_custom_fields",
        help_text="key;value — activities whose custom field `key` holds exactly `value`. Repeat to require several.",
    )

    class Meta:
        model = Activity
        fields = []

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # `created_on[gte]=…`: names no class attribute can carry, so they are added here.
        for field, meaning in (("created_on", "created"), ("completed_on", "completed")):
            for operator in EPOCH_OPERATORS:
                filters[f"{field}[{operator}]"] = EpochFilter(
                    field_name=field, lookup_expr=operator, help_text=f"Date {meaning}, epoch seconds ({operator})."
                )
        return filters

    def filter_types(self, queryset, name, values):
        ids, names = [], []
        for value in values:
            try:
                ids.append(uuid.UUID(value))
            except ValueError:
                names.append(value)
        wanted = Q(type_id__in=ids)
        if names:
            matching = Q()
            for type_name in names:
                matching |= Q(name__iexact=type_name)
            wanted |= Q(type_id__in=ActivityType.objects.filter(matching).values("id"))
        return queryset.filter(wanted)

    def filter_reference(self, queryset, name, value):
        reference_type = {
            "lead_id": ReferenceType.LEAD,
            "service_request_id": ReferenceType.SERVICE_REQUEST,
            "order_id": ReferenceType.ORDER,
        }[name]
        return queryset.filter(reference_type=reference_type, reference_id=value)

    def filter_tags(self, queryset, name, values):
        tagged = Activity.tags.through.objects.filter(activity_id=OuterRef("pk"), tag_id__in=values)
        return queryset.filter(Exists(tagged))

    def filter_custom_fields(self, queryset, name, value):
        pairs = self.data.getlist(name) if hasattr(self.data, "getlist") else [value]
        for pair in pairs:
            key, separator, wanted = pair.partition(";")
            key = key.strip()
            if not separator or not key:
                raise InvalidValue("custom_fields takes key;value.", parameters=[name, pair])
            definition = CustomFieldDefinition.objects.filter(key=key).first()
            if definition is None:
                raise InvalidValue(f"Unknown custom field key: {key}.", parameters=[name, key])
            holding = CustomFieldValue.objects.filter(activity_id=OuterRef("pk"), definition=definition, value=wanted)
            queryset = queryset.filter(Exists(holding))
        return queryset
