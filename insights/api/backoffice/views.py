from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.api.backoffice.dialect import CONTACT_IN_PATH, BackofficeView
from accounts.api.backoffice.filters import SearchFilter
from accounts.api.backoffice.serializers import IdSerializer
from accounts.api.parsers import QueryFilterSet
from accounts.errors import InvalidValue
from accounts.selectors import get_by_id
from insights import analytics, services
from insights.analytics import METRICS
from insights.models import Insight
from insights.periods import Frequency, Interval

from . import examples
from . import serializers as s

INSIGHT_SORTS = {"CREATED_DATE": "created_on", "UPDATED_DATE": "updated_on", "NAME": "name"}
PERIOD_PARAMETERS = [
    OpenApiParameter("date_from", int, description="Epoch seconds, included (default: 29 days before today)."),
    OpenApiParameter("date_to", int, description="Epoch seconds, excluded (default: now)."),
    OpenApiParameter("interval", str, enum=Interval.values, description="Bucket size (default DAY); UTC."),
    OpenApiParameter("frequency", str, enum=Frequency.values, description="Instead of date_from and date_to."),
]


class CsvRenderer(BaseRenderer):
    """Lets `Accept: text/csv` through content negotiation; the export streams its own body."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class _NoFormatOverride:
    URL_FORMAT_OVERRIDE = None


class ExportNegotiation(DefaultContentNegotiation):
    # `format` names the export's file format (CSV), not DRF's renderer override (`?format=json`).
    settings = _NoFormatOverride()


class ExportSchema(type(BackofficeView.schema)):
    """The file is CSV; refusals are the family's JSON error body, and `format` is the export's own."""

    def _get_format_parameters(self):
        return []

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if not str(status_code).startswith("2"):
            media_types = [JSONRenderer.media_type]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


class InsightView(BackofficeView):
    queryset = Insight.objects.select_related("created_by_key", "created_by_user__identifier")
    entity_name = "insight"

    def get_object(self) -> Insight:
        return get_by_id(self.get_queryset(), self.kwargs["pk"], "insight")

    def body(self) -> dict:
        if not isinstance(self.request.data, dict):
            raise InvalidValue("The body must be a JSON object.")
        return self.request.data

    def replaced(self, change, *parts: str) -> Response:
        """Replace parts of the insight (events, filters or breakdowns) with the body's; answer its id."""
        body = self.body()
        insight = change(self.get_object(), *(body.get(part) for part in parts))
        return Response({"id": str(insight.id)})


class InsightFilterSet(QueryFilterSet):
    search_value = SearchFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name, any case.")

    class Meta:
        model = Insight
        fields = []


class InsightListView(InsightView):
    serializer_class = s.InsightListItemSerializer
    filterset_class = InsightFilterSet
    sort_fields = INSIGHT_SORTS

    @extend_schema(
        operation_id="listInsights",
        summary="List Insights",
        responses={200: s.InsightListItemSerializer(many=True)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.InsightListItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="createInsight",
        summary="Create Insight",
        request=s.InsightWriteSerializer,
        responses={200: IdSerializer},
        examples=[examples.CREATE, examples.ID],
    )
    def post(self, request):
        body = self.body()
        insight = services.create_insight(
            is_test=self.is_test,
            name=body.get("name"),
            description=body.get("description"),
            user=request.auth.user,
            api_key=request.auth.api_key,
        )
        return Response({"id": str(insight.id)})


class InsightDetailView(InsightView):
    serializer_class = s.InsightSerializer

    @extend_schema(
        operation_id="getInsight",
        summary="Get Insight",
        responses={200: s.InsightSerializer},
        examples=[examples.INSIGHT],
    )
    def get(self, request, pk):
        return Response(s.InsightSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="updateInsight",
        summary="Update Insight",
        description="Changes the attributes given; `description: null` clears it.",
        request=s.InsightUpdateSerializer,
        responses={200: IdSerializer},
        examples=[examples.CREATE, examples.ID],
    )
    def put(self, request, pk):
        insight = self.get_object()
        body = self.body()
        services.update_insight(insight, **{key: body[key] for key in ("name", "description") if key in body})
        return Response({"id": str(insight.id)})

    @extend_schema(
        operation_id="deleteInsight",
        summary="Delete Insight",
        description="Also answers at `/insights/{id}/`, as the seed writes it.",
        responses={204: None},
    )
    def delete(self, request, pk):
        services.delete_insight(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class InsightEventsView(InsightView):
    serializer_class = s.EventsSerializer

    @extend_schema(
        operation_id="setInsightEvents",
        summary="Set Insight Events",
        description="Replaces the insight's events (1 to 5). Filters and breakdowns must stay properties of every "
        "event: change them first when the new events lack one.",
        request=s.EventsSerializer,
        responses={200: IdSerializer},
        examples=[examples.EVENTS, examples.ID],
    )
    def post(self, request, pk):
        return self.replaced(services.set_events, "events")


class InsightFiltersView(InsightView):
    serializer_class = s.FiltersSerializer

    @extend_schema(
        operation_id="setInsightFilters",
        summary="Set Insight Filters",
        description="Replaces the insight's filters (0 to 10, all must hold). Each names a property every event "
        "of the insight has.",
        request=s.FiltersSerializer,
        responses={200: IdSerializer},
        examples=[examples.FILTERS, examples.ID],
    )
    def post(self, request, pk):
        return self.replaced(services.set_filters, "filters")


class InsightBreakdownsView(InsightView):
    serializer_class = s.BreakdownsSerializer

    @extend_schema(
        operation_id="setInsightBreakdowns",
        summary="Set Insight Breakdowns",
        description="Replaces the insight's breakdowns (0 to 2 dimensions) and how many values are kept (`limit`, "
        "1 to 50, default 10); the rest are summed into OTHER.",
        request=s.BreakdownsSerializer,
        responses={200: IdSerializer},
        examples=[examples.BREAKDOWNS, examples.ID],
    )
    def post(self, request, pk):
        return self.replaced(services.set_breakdowns, "breakdowns", "limit")


class InsightResultsView(InsightView):
    serializer_class = s.ResultsSerializer

    @extend_schema(
        operation_id="getInsightResults",
        summary="Get Insight Results",
        description="One item per event and breakdown value, every bucket present. At most 400 buckets.",
        parameters=PERIOD_PARAMETERS,
        responses={200: s.ResultsSerializer},
        examples=[examples.RESULTS],
    )
    def get(self, request, pk):
        insight = self.get_object()
        return Response(services.insight_results(insight, request.query_params).as_json(insight.id))


class InsightPreviewView(InsightView):
    serializer_class = s.PreviewSerializer
    required_scope = "backoffice.read"

    @extend_schema(
        operation_id="previewInsight",
        summary="Preview Insight",
        description="The results with any of events, filters, breakdowns and limit replaced, and the first 10 "
        "matching events (newest first). Nothing is saved; needs only `backoffice.read`.",
        request=s.PreviewOptionsSerializer,
        responses={200: s.PreviewSerializer},
        examples=[examples.PREVIEW_REQUEST, examples.PREVIEW],
    )
    def post(self, request, pk):
        insight = self.get_object()
        results, sample = services.preview(insight, self.body())
        return Response({**results.as_json(insight.id), "sample": sample})


class InsightExportsView(InsightView):
    serializer_class = s.ExportOptionsSerializer
    required_scope = "backoffice.read"
    renderer_classes = [JSONRenderer, CsvRenderer]
    content_negotiation_class = ExportNegotiation
    schema = ExportSchema()

    @extend_schema(
        operation_id="exportInsight",
        summary="Export Insight",
        description="A CSV file (streamed, with a header row): RESULTS has one row per series and bucket, RECORDS "
        "one row per event (at most 100,000). Needs only `backoffice.read`.",
        request=s.ExportOptionsSerializer,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The CSV file.")},
        examples=[examples.EXPORT_REQUEST],
    )
    def post(self, request, pk):
        insight = self.get_object()
        name, lines = services.export(insight, self.body())
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # An export that is refused answers in the family's JSON error body, whatever the Accept header asked.
        if isinstance(response, Response):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


ANALYTICS_PARAMETERS = [
    OpenApiParameter("frequency", str, enum=Frequency.values, description="The period (default LAST_SIX_MONTHS)."),
    OpenApiParameter(
        "metrics", str, description=f"Comma-separated, any of {', '.join(METRICS)} (default all of them)."
    ),
]


class ContactAnalyticsView(BackofficeView):
    serializer_class = s.AnalyticsSerializer
    entity_name = "contact"
    organisation = False

    @extend_schema(
        operation_id="getContactAnalytics",
        summary="Get Contact Analytics",
        description="The contact by id or code. Only the metrics asked for come back, with is_active and "
        "last_interaction_on always.",
        parameters=[CONTACT_IN_PATH, *ANALYTICS_PARAMETERS],
        responses={200: s.AnalyticsSerializer},
        examples=[examples.ANALYTICS],
    )
    def get(self, request, pk):
        contact = self.contact(pk, organisation=self.organisation)
        params = request.query_params
        return Response(
            analytics.contact_analytics(contact, frequency=params.get("frequency"), metrics=params.get("metrics"))
        )


class OrganisationAnalyticsView(ContactAnalyticsView):
    entity_name = "organisation"
    organisation = True

    @extend_schema(
        operation_id="getOrganisationAnalytics",
        summary="Get Organisation Analytics",
        description="An organisation is a contact of type COMPANY (by id or code); a person's id is not found.",
        parameters=[CONTACT_IN_PATH, *ANALYTICS_PARAMETERS],
        responses={200: s.AnalyticsSerializer},
        examples=[examples.ANALYTICS],
    )
    def get(self, request, pk):
        return super().get(request, pk)
