"""The insights' and analytics' bodies as the v2 family shows them. Requests are checked by the domain
(`insights.definition`, `insights.services`), which the admin shares; the request serializers here describe them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.api.backoffice.serializers import EpochField
from insights.catalogue import EVENTS, PROPERTIES, Measurement, Operator
from insights.definition import DEFAULT_LIMIT, MAX_BREAKDOWNS, MAX_EVENTS, MAX_FILTERS, MAX_LIMIT
from insights.exports import ExportFormat, ExportType
from insights.periods import Frequency, Interval

BREAKDOWN_DIMENSIONS = [p.name for p in PROPERTIES.values() if p.can_break_down]


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A whole number for counts, a decimal for amounts: as computed."""

    def to_representation(self, value):
        return value


# Requests


class InsightWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="1 to 100 characters; required on create.")
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=2000)


class InsightUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=100)
    description = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=2000, help_text="null clears it."
    )


class EventChoiceSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=list(EVENTS))
    measurement = serializers.ChoiceField(
        choices=Measurement.values,
        default=Measurement.COUNT.value,
        help_text="TOTAL_AMOUNT and AVERAGE_AMOUNT only for events with an amount (postal letters, terminations).",
    )
    name = serializers.CharField(required=False, max_length=100, help_text="The series' name; the event by default.")


class EventsSerializer(serializers.Serializer):
    events = EventChoiceSerializer(many=True, min_length=1, max_length=MAX_EVENTS)


class FilterSerializer(serializers.Serializer):
    property = serializers.ChoiceField(choices=list(PROPERTIES))
    operator = serializers.ChoiceField(choices=[o.value for o in Operator])
    values = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text="None for IS_SET and IS_NOT_SET, two for BETWEEN, one or more for IN and NOT_IN, else one.",
    )


class FiltersSerializer(serializers.Serializer):
    filters = FilterSerializer(many=True, max_length=MAX_FILTERS, help_text="All must hold; [] removes them.")


class BreakdownSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=BREAKDOWN_DIMENSIONS)


class BreakdownsSerializer(serializers.Serializer):
    breakdowns = BreakdownSerializer(many=True, max_length=MAX_BREAKDOWNS)
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text="Values kept; the rest are OTHER.",
    )


class PeriodSerializer(serializers.Serializer):
    date_from = serializers.IntegerField(required=False, help_text="Epoch seconds, included.")
    date_to = serializers.IntegerField(required=False, help_text="Epoch seconds, excluded.")
    interval = serializers.ChoiceField(choices=Interval.values, required=False, default=Interval.DAY.value)
    frequency = serializers.ChoiceField(
        choices=Frequency.values, required=False, help_text="Instead of date_from and date_to."
    )


class PreviewOptionsSerializer(PeriodSerializer):
    events = EventChoiceSerializer(many=True, required=False, min_length=1, max_length=MAX_EVENTS)
    filters = FilterSerializer(many=True, required=False, max_length=MAX_FILTERS)
    breakdowns = BreakdownSerializer(many=True, required=False, max_length=MAX_BREAKDOWNS)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)


class ExportOptionsSerializer(PeriodSerializer):
    format = serializers.ChoiceField(choices=ExportFormat.values, default=ExportFormat.CSV.value)
    type = serializers.ChoiceField(choices=ExportType.values, default=ExportType.RESULTS.value)


# Answers


class BreakdownEntrySerializer(serializers.Serializer):
    dimension = serializers.CharField()


class CreatedBySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class InsightListItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(allow_null=True)
    events = EventChoiceSerializer(many=True)
    created_on = EpochField()
    updated_on = EpochField()


class InsightSerializer(InsightListItemSerializer):
    filters = FilterSerializer(many=True)
    breakdowns = serializers.SerializerMethodField()
    breakdown_limit = serializers.IntegerField()
    created_by = CreatedBySerializer(allow_null=True)

    @extend_schema_field(BreakdownEntrySerializer(many=True))
    def get_breakdowns(self, insight):
        return [{"dimension": dimension} for dimension in insight.breakdowns]


class PointSerializer(serializers.Serializer):
    timestamp = serializers.IntegerField(help_text="The bucket's start, epoch seconds (UTC).")
    value = NumberField()


class SeriesSerializer(serializers.Serializer):
    event = serializers.CharField()
    name = serializers.CharField()
    measurement = serializers.CharField()
    breakdown = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        allow_null=True,
        help_text="Dimension → value; OTHER for the values past the limit; null without breakdowns.",
    )
    total = NumberField()
    data = PointSerializer(many=True)


class ResultsSerializer(serializers.Serializer):
    insight_id = serializers.UUIDField()
    date_from = serializers.IntegerField()
    date_to = serializers.IntegerField()
    interval = serializers.CharField()
    content = SeriesSerializer(many=True)
    has_more = serializers.BooleanField()


class SampleContactSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True)


class SampleRecordSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class SampleSerializer(serializers.Serializer):
    event = serializers.CharField()
    occurred_on = serializers.IntegerField()
    contact = SampleContactSerializer(allow_null=True)
    record = SampleRecordSerializer()
    amount = serializers.FloatField(allow_null=True)


class PreviewSerializer(ResultsSerializer):
    sample = SampleSerializer(many=True)


class AccountTotalsSerializer(serializers.Serializer):
    currency_code = serializers.CharField()
    accounts = serializers.IntegerField()
    active_accounts = serializers.IntegerField()
    balance = serializers.FloatField()
    overdue_amount = serializers.FloatField()


class MediaCountSerializer(serializers.Serializer):
    media = serializers.CharField()
    count = serializers.IntegerField()


class DirectionCountSerializer(serializers.Serializer):
    direction = serializers.CharField()
    count = serializers.IntegerField()


class CommunicationTotalsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_media = MediaCountSerializer(many=True)
    by_direction = DirectionCountSerializer(many=True)
    messages_sent = serializers.IntegerField()
    messages_failed = serializers.IntegerField()


class LetterTotalsSerializer(serializers.Serializer):
    letters = serializers.IntegerField()
    emailed = serializers.IntegerField()
    delivered = serializers.IntegerField()
    postal_letters = serializers.IntegerField()
    postal_returned = serializers.IntegerField()
    postage = serializers.FloatField()


class ActivityTotalsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    completed = serializers.IntegerField()
    pending = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    overdue = serializers.IntegerField()


class MonthCountSerializer(serializers.Serializer):
    timestamp = serializers.IntegerField(help_text="The month's first day, epoch seconds (UTC).")
    count = serializers.IntegerField()


class AnalyticsSerializer(serializers.Serializer):
    """Only the metrics asked for are present; is_active and last_interaction_on always are."""

    account_totals = AccountTotalsSerializer(many=True, required=False)
    communication_totals = CommunicationTotalsSerializer(required=False)
    letter_totals = LetterTotalsSerializer(required=False)
    activity_totals = ActivityTotalsSerializer(required=False)
    communications_per_month = MonthCountSerializer(many=True, required=False)
    activities_per_month = MonthCountSerializer(many=True, required=False)
    is_active = serializers.BooleanField()
    last_interaction_on = serializers.IntegerField(allow_null=True)
