"""The /backend/api/v1/ dialect: Bearer API keys, plain JSON, `{"error", "error_code", "hint"}` errors.

Every view of the family derives from `BackendView`, so its wire format is decided here and nowhere else.
Error codes are the HTTP status followed by three digits; the documented ones keep their numbers.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from accounts.api.errors import describe
from accounts.api.parsers import MAX_OFFSET, LenientJSONParser, whole_number
from accounts.api.schema import schema_with_errors
from accounts.authentication import BearerApiKeyAuthentication
from accounts.errors import DomainError, InvalidValue
from accounts.modes import request_is_test
from accounts.permissions import HasFamilyScope

# kind (from accounts.api.errors.describe) → (error_code, error)
ERRORS = {
    "parse_error": (400001, "Invalid Request"),
    "invalid": (400002, "Invalid Value"),
    "missing": (400003, "Missing Value"),
    "illegal_transition": (400004, "Invalid State"),
    "unauthenticated": (401001, "Authentication Required"),
    "forbidden": (403001, "Permission Denied"),
    "not_found": (404001, "Not Found"),
    "method_not_allowed": (405001, "Method Not Allowed"),
    "not_acceptable": (406001, "Not Acceptable"),
    "conflict": (409001, "Conflict"),
    "too_large": (413001, "Request Too Large"),
    "unsupported_media_type": (415001, "Unsupported Media Type"),
    "throttled": (429001, "Too Many Requests"),
    "internal": (500001, "Internal Error"),
    "unavailable": (503001, "Service Unavailable"),
}
# The codes the public document names, by the domain error's code.
DOCUMENTED = {
    "UNKNOWN_ACTION": (400501, "Action Not Recognised"),
    "PDF_NOT_AVAILABLE": (404107, "File Not Available"),
    "NO_SUCH_ATTACHMENT": (404108, "No Such Attachment"),
    "EMAIL_NOT_ACCEPTED": (500603, "Email Sending Failed"),
}
ACTION_FAILED = (400502, "Invalid Action")
# The letter's fields seed 000 names otherwise; a section stays `content.<key>`.
WIRE_NAMES = {"number": "correspondenceNumber", "correspondence_type": "correspondenceType", "addresses": "email"}
NOT_FOUND_BY_ENTITY = {"correspondence": 404101, "customer": 404102}


class UnknownAction(DomainError):
    code = "UNKNOWN_ACTION"


# The schema keeps the component name integrators already generate clients from.
@extend_schema_serializer(component_name="LettersError")
class BackendErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    error_code = serializers.IntegerField()
    hint = serializers.CharField()


def exception_handler(exc, context):
    error = describe(exc, context, WIRE_NAMES)
    code, title = ERRORS.get(error.kind, ERRORS["invalid"])
    if error.kind == "not_found":
        code = NOT_FOUND_BY_ENTITY.get(getattr(exc, "entity", None), code)
    if isinstance(exc, DomainError) and exc.code in DOCUMENTED:
        code, title = DOCUMENTED[exc.code]
    elif error.status == 400 and getattr(context.get("view"), "performing_action", False):
        # Anything that stops an action before it changed something is the documented "action failed".
        code, title = ACTION_FAILED
    body = {"error": title, "error_code": code, "hint": error.message}
    return Response(body, status=error.status, headers=error.headers)


class BackendAutoSchema(schema_with_errors(BackendErrorSerializer)):
    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if str(status_code)[0] in "45":
            media_types = [JSONRenderer.media_type]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class BackendPagination(BasePagination):
    """A plain JSON array; `limit` (default 100, at most 500) and `offset`; the total in X-Total-Count."""

    default_limit = 100
    max_limit = 500

    def paginate_queryset(self, queryset: QuerySet, request, view=None):
        self.request = request
        self.limit = whole_number(
            request.query_params.get("limit"), "limit", default=self.default_limit, minimum=1, maximum=self.max_limit
        )
        self.offset = whole_number(request.query_params.get("offset"), "offset", default=0, maximum=MAX_OFFSET)
        self.total = queryset.count()
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data):
        headers = {"X-Total-Count": str(self.total)}
        links = []
        url = self.request.build_absolute_uri()
        if self.offset + self.limit < self.total:
            links.append(f'<{replace_query_param(url, "offset", self.offset + self.limit)}>; rel="next"')
        if self.offset > 0:
            previous = max(self.offset - self.limit, 0)
            target = replace_query_param(url, "offset", previous) if previous else remove_query_param(url, "offset")
            links.append(f'<{target}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "At most this many records (default 100, at most 500).",
                "schema": {"type": "integer", "default": self.default_limit, "maximum": self.max_limit},
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "description": "Skip this many records first (default 0).",
                "schema": {"type": "integer", "default": 0, "minimum": 0, "maximum": MAX_OFFSET},
            },
        ]


def parse_flag(raw: str | None, name: str) -> bool:
    """A flag is on when present (`?delivered`, `?delivered=1`, `=true`); `=0` or `=false` turn it off."""
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in ("", "1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise InvalidValue(f"{name} is a flag: give it without a value, or as 1/true or 0/false.", field=name)


class FlagField(forms.Field):
    def to_python(self, value):
        return parse_flag(value, self.parameter)


class FlagFilter(django_filters.BooleanFilter):
    """A flag parameter (see parse_flag)."""

    field_class = FlagField


class BackendView(GenericAPIView):
    """Base of every view under /backend/api/v1/."""

    authentication_classes = [BearerApiKeyAuthentication]
    permission_classes = [HasFamilyScope]
    parser_classes = [LenientJSONParser]
    renderer_classes = [JSONRenderer]
    pagination_class = BackendPagination
    filter_backends = [DjangoFilterBackend]
    scope_family = "letters"
    entity_name = "record"
    performing_action = False
    schema = BackendAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and not isinstance(response.accepted_renderer, JSONRenderer):
            # An error is told in JSON even to a caller that asked for the PDF.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    @property
    def is_test(self) -> bool:
        return request_is_test(self.request)
