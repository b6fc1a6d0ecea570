"""The list filters of GET /activities/, one FilterSet for the model; bad values become v2 errors."""

import uuid

import django_filters
from django.db.models import Exists, OuterRef, Q

from accounts.api.backoffice.dialect import (
    CharInFilter,
    ChoiceInFilter,
    ContactFilter,
    EpochFilter,
    UserFilter,
    UUIDInFilter,
)
from accounts.api.parsers import QueryFilterSet
from accounts.errors import InvalidValue
from activities.models import (
    Activity,
    ActivityState,
    ActivityType,
    CustomFieldDefinition,
    CustomFieldValue,
)

EPOCH_OPERATORS = ("gt", "gte", "lt", "lte")


class ActivityFilterSet(QueryFilterSet):
    search_value = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the activity name (case-insensitive)."
    )
    types = CharInFilter(method="filter_types", help_text="Activity type ids or names, comma-separated.")
    contact_id = ContactFilter(field_name="contact_id", help_text="The related contact, by its id or its code.")
    lead_id = django_filters.UUIDFilter(field_name="lead_id", help_text="The related lead.")
    service_request_id = django_filters.UUIDFilter(
        field_name="service_request_id", help_text="The related service request."
    )
    order_id = django_filters.UUIDFilter(field_name="order_id", help_text="The related order.")
    states = ChoiceInFilter(
        field_name="state", choices=ActivityState.choices, help_text="PENDING, COMPLETED, CANCELLED; comma-separated."
    )
    tag_ids = UUIDInFilter(method="filter_tags", help_text="Activities carrying any of these tags; comma-separated.")
    assign_to_user_id = UserFilter(field_name="assigned_user_id", help_text="The assigned user.")
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
