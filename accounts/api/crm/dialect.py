"""The CRM.COM R-series dialect: the `token` parameter, the `{"status": ..., "data": ...}` envelope, paging with
`number_of_results` and `offset`, `fields_set`, and the family's query values.

Views return plain data; the renderer wraps it, the exception handler words errors, so no
view of this family builds an envelope by hand.
"""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api.errors import describe
from accounts.api.parsers import MAX_OFFSET, LenientJSONParser, LenientTextJSONParser, one_of, whole_number
from accounts.api.schema import WrappedListSchema, documented, schema_with_errors
from accounts.authentication import TokenParameterAuthentication
from accounts.errors import InvalidValue, MissingValue
from accounts.modes import request_is_test
from accounts.permissions import HasFamilyScope

ERROR_CODES = {
    "not_found": "NOT_FOUND",
    "missing": "MISSING_PARAMETER",
    "invalid": "INVALID_VALUE",
    "illegal_transition": "INVALID_STATE_TRANSITION",
    "conflict": "ALREADY_EXISTS",
    "unauthenticated": "INVALID_TOKEN",
    "forbidden": "PERMISSION_DENIED",
    "method_not_allowed": "METHOD_NOT_ALLOWED",
    "not_acceptable": "NOT_ACCEPTABLE",
    "unsupported_media_type": "UNSUPPORTED_MEDIA_TYPE",
    "parse_error": "INVALID_REQUEST",
    "too_large": "PAYLOAD_TOO_LARGE",
    "throttled": "TOO_MANY_REQUESTS",
    "unavailable": "SERVICE_UNAVAILABLE",
    "internal": "INTERNAL_ERROR",
}

# The domain's field names the seed (003) calls otherwise.
WIRE_NAMES = {
    "state": "life_cycle_state",
    "to_address": "to",
    "communication": "communication_identifier",
    "queue_entry": "communication_queue_identifier",
}

OK_STATUS = {"code": "OK", "message": "", "description": ""}


def exception_handler(exc, context):
    error = describe(exc, context, WIRE_NAMES)
    body = {
        "status": {
            "code": ERROR_CODES.get(error.kind, "INVALID_VALUE"),
            "message": error.message,
            "description": ", ".join(str(p) for p in error.parameters),
        },
        "data": None,
    }
    return Response(body, status=error.status, headers=error.headers)


class StatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


def enveloped(serializer, name: str, many: bool = False):
    """The OpenAPI shape of a success: `serializer` as `data` inside the status envelope."""
    data = serializer(many=many) if isinstance(serializer, type) else serializer
    return inline_serializer(name=name, fields={"status": StatusSerializer(), "data": data})


ERROR_ENVELOPE = inline_serializer(
    name="CrmError", fields={"status": StatusSerializer(), "data": serializers.JSONField(allow_null=True)}
)


class EnvelopeRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            data = {"status": OK_STATUS, "data": data}
        return super().render(data, accepted_media_type, renderer_context)


class CrmAutoSchema(WrappedListSchema, schema_with_errors(ERROR_ENVELOPE)):
    """The family's error envelope under every error status, and the filters and paging of its wrapped lists."""


def _count(name: str, description: str | None = None, required: bool = False) -> dict:
    return build_parameter_type(
        name, {"type": "integer"}, OpenApiParameter.QUERY, required=required, description=description
    )


class CrmPagination(BasePagination):
    """`number_of_results` (default 100, at most 1000) and `offset`: the page is `data` itself."""

    default_size = 100
    max_size = 1000
    max_offset = MAX_OFFSET

    def paginate_queryset(self, queryset, request, view=None):
        size = self.page_size(request.query_params)
        offset = whole_number(request.query_params.get("offset"), "offset", default=0, maximum=self.max_offset)
        return list(queryset[offset : offset + size])

    def page_size(self, query, name: str = "number_of_results") -> int:
        return whole_number(query.get(name), name, default=self.default_size, minimum=1, maximum=self.max_size)

    def get_schema_operation_parameters(self, view):
        return [
            _count("number_of_results", f"At most this many (default {self.default_size}, max {self.max_size})."),
            _count("offset", "Skip this many results (default 0)."),
        ]


class OlderSizeNamePagination(CrmPagination):
    """Also reads `number`, the name of `number_of_results` before CRM.COM R13, when number_of_results is not given."""

    def page_size(self, query, name: str = "number_of_results") -> int:
        return super().page_size(query, name if name in query else "number")

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), _count("number")]


class LatestPagination(CrmPagination):
    """`number`, required: how many of the newest; no offset."""

    def paginate_queryset(self, queryset, request, view=None):
        number = whole_number(
            request.query_params.get("number"), "number", default=None, minimum=1, maximum=self.max_size
        )
        if number is None:
            raise MissingValue("number")
        return list(queryset[:number])

    def get_schema_operation_parameters(self, view):
        return [_count("number", f"How many (1 to {self.max_size}).", required=True)]


FIELDS_SET = OpenApiParameter("fields_set", str, description="Comma-separated top-level fields to return.")


class ChoiceValueField(forms.Field):
    def __init__(self, *, allowed, **kwargs):
        super().__init__(**kwargs)
        self.allowed = allowed

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in self.allowed:
            raise InvalidValue(f"{self.parameter} accepts {one_of(self.allowed)}.", field=self.parameter)
        return value


class ChoiceValueFilter(django_filters.CharFilter):
    """One of `allowed`, exactly as written."""

    field_class = ChoiceValueField

    def __init__(self, allowed, **kwargs):
        super().__init__(allowed=list(allowed), **kwargs)
        documented({"type": "string", "enum": list(allowed)}, self)


# Base of every view under /crmapi/rest/v2/ (a comment: a docstring would describe every endpoint).
class CrmView(GenericAPIView):
    authentication_classes = [TokenParameterAuthentication]
    permission_classes = [HasFamilyScope]
    parser_classes = [LenientJSONParser, LenientTextJSONParser, FormParser, MultiPartParser]
    renderer_classes = [EnvelopeRenderer]
    filter_backends = [DjangoFilterBackend]
    scope_family = "communications"
    entity_name = "record"
    schema = CrmAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    @property
    def is_test(self) -> bool:
        return request_is_test(self.request)

    def fields_set(self) -> list[str]:
        """`fields_set`, from the query or (for a POST) the body: the top-level fields to answer with."""
        raw = self.request.query_params.get("fields_set")
        if raw is None and self.request.method == "POST" and hasattr(self.request.data, "get"):
            raw = self.request.data.get("fields_set")
        if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
            raw = ",".join(raw)
        if raw is not None and not isinstance(raw, str):
            raise InvalidValue("fields_set must be a text of comma-separated field names.", field="fields_set")
        return [name.strip() for name in (raw or "").split(",") if name.strip()]

    def answer(self, serializer_class, instance, many=False) -> Response:
        """`instance` as `serializer_class` shows it, narrowed to fields_set when one is given."""
        return self.answer_data(serializer_class(instance, many=many).data, many=many)

    def answer_data(self, data, many=False) -> Response:
        """An answer already in the family's shape, narrowed to fields_set when one is given."""
        wanted = self.fields_set()
        if wanted:
            # Names that are not top-level fields are ignored, as the seed's create example shows.
            keep = set(wanted)
            data = [_project(item, keep) for item in data] if many else _project(data, keep)
        return Response(data)


def _project(item: dict, keep: set) -> dict:
    return {key: value for key, value in item.items() if key in keep}
