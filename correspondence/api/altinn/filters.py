"""The list filters of GET /correspondence/api/v1/correspondence: the sender's dispatched correspondences."""

from django import forms
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from accounts.api.parsers import QueryFilterSet, QueryForm
from correspondence.models import DispatchedCorrespondence, DispatchedCorrespondenceStatus

from .dialect import SerializerValueFilter
from .serializers import EnumField


class DispatchedCorrespondenceQueryForm(QueryForm):
    def clean(self):
        cleaned = super().clean()
        # As a body's rule: checked once every value on its own is accepted.
        if not self.errors and cleaned.get("from") and cleaned.get("to") and cleaned["from"] > cleaned["to"]:
            raise forms.ValidationError({"from": forms.ValidationError("From date cannot be after to date", "invalid")})
        return cleaned


class DispatchedCorrespondenceFilterSet(QueryFilterSet):
    status = SerializerValueFilter(
        EnumField(DispatchedCorrespondenceStatus.choices),
        schema={"type": "string", "enum": DispatchedCorrespondenceStatus.values},
        help_text="Only those in this status.",
    )
    to = SerializerValueFilter(
        serializers.DateTimeField(),
        field_name="created_on",
        lookup_expr="lt",
        schema=OpenApiTypes.DATETIME,
        help_text="Created before.",
    )
    sendersReference = SerializerValueFilter(
        serializers.CharField(),
        field_name="dispatch__senders_reference",
        schema=OpenApiTypes.STR,
        help_text="Only those with this sender's reference.",
    )
    resourceId = SerializerValueFilter(
        serializers.CharField(), field_name="dispatch__resource_id", schema=OpenApiTypes.STR
    )

    class Meta:
        model = DispatchedCorrespondence
        fields = []
        form = DispatchedCorrespondenceQueryForm

    @classmethod
    def get_filters(cls):
        # `from` is a Python keyword, so it is added here rather than declared; it is checked after the others.
        filters = super().get_filters()
        filters["from"] = SerializerValueFilter(
            serializers.DateTimeField(),
            field_name="created_on",
            lookup_expr="gte",
            schema=OpenApiTypes.DATETIME,
            help_text="Created at or after.",
        )
        return filters
