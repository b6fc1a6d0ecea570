"""The correspondence initialize dialect (Altinn style): bearer API keys, camelCase JSON, RFC 7807 problem details.

Every view under /correspondence/api/v1/ derives from `AltinnView`, so how this family authenticates,
pages and words its errors is decided here and nowhere else.
"""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.api.errors import describe
from accounts.api.parsers import MAX_OFFSET, LenientJSONParser, whole_number
from accounts.api.schema import ERROR_DESCRIPTIONS, WrappedListSchema, documented
from accounts.authentication import BearerApiKeyAuthentication
from accounts.errors import InvalidValue
from accounts.modes import request_is_test
from accounts.permissions import HasFamilyScope

PROBLEM_JSON = "application/problem+json"
VALIDATION_TITLE = "One or more validation errors occurred."

# The problem `type` and `title` per status, as ASP.NET Core (and so Altinn) writes them.
PROBLEM_TYPES = {
    400: ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
    401: ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
    403: ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
    404: ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"),
    405: ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method Not Allowed"),
    406: ("https://tools.ietf.org/html/rfc9110#section-15.5.7", "Not Acceptable"),
    409: ("https://tools.ietf.org/html/rfc9110#section-15.5.10", "Conflict"),
    413: ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "Content Too Large"),
    415: ("https://tools.ietf.org/html/rfc9110#section-15.5.16", "Unsupported Media Type"),
    422: ("https://tools.ietf.org/html/rfc9110#section-15.5.21", "Unprocessable Entity"),
    429: ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
    500: ("https://tools.ietf.org/html/rfc9110#section-15.6.1", "Internal Server Error"),
    503: ("https://tools.ietf.org/html/rfc9110#section-15.6.4", "Service Unavailable"),
}


class ProblemDetailsSerializer(serializers.Serializer):
    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    errorCode = serializers.IntegerField(required=False, help_text="Altinn's number for this refusal.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors by field path, as ASP.NET Core's ValidationProblemDetails.",
    )


class ProblemDetailsRenderer(JSONRenderer):
    media_type = PROBLEM_JSON


def validation_errors(detail, path: str = "") -> dict[str, list[str]]:
    """A DRF ValidationError's detail as {"correspondence.content.messageTitle": ["..."], "recipients[2]": [...]}."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):
                found.update(validation_errors(value, f"{path}[{key}]"))
                continue
            name = "" if key == "non_field_errors" else str(key)
            found.update(validation_errors(value, f"{path}.{name}" if path and name else (name or path)))
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {path: [str(item) for item in detail]} if detail else {}
        found = {}
        for index, item in enumerate(detail):
            if item:
                found.update(validation_errors(item, f"{path}[{index}]"))
        return found
    return {path: [str(detail)]}


def problem(status: int, detail: str, instance: str, **extensions) -> dict:
    kind, title = PROBLEM_TYPES.get(status, (f"https://tools.ietf.org/html/rfc9110#section-15.{status // 100}", ""))
    return {"type": kind, "title": title, "status": status, "detail": detail, "instance": instance, **extensions}


# The dispatch's fields a domain rule may name, as the Initialize body names them.
WIRE_NAMES = {
    "resource_id": "correspondence.resourceId",
    "senders_reference": "correspondence.sendersReference",
    "message_sender": "correspondence.messageSender",
    "message_title": "correspondence.content.messageTitle",
}


def exception_handler(exc, context):
    if isinstance(exc, InvalidValue) and exc.field in WIRE_NAMES:
        wire = WIRE_NAMES[exc.field]
        exc = InvalidValue(exc.message.replace(exc.field, wire, 1), field=wire)
    error = describe(exc, context)
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        errors = validation_errors(exc.detail)
        body = problem(400, error.message, instance, errors=errors)
        body["title"] = VALIDATION_TITLE
    else:
        extensions = {}
        if getattr(exc, "error_code", None):
            extensions["errorCode"] = exc.error_code
        if isinstance(exc, InvalidValue) and exc.field:
            extensions["errors"] = {exc.field: [error.message]}
        body = problem(error.status, error.message, instance, **extensions)
    return Response(body, status=error.status, headers=error.headers)


class HasCorrespondenceScope(HasFamilyScope):
    """Writes need `correspondence.write`; reads `correspondence.read`, which a sender's write scope includes."""

    def has_permission(self, request, view):
        credential = request.auth
        if credential is None:
            return False
        if request.method in permissions.SAFE_METHODS and credential.has_scope(f"{view.scope_family}.write"):
            return True
        return super().has_permission(request, view)


class BinaryRenderer(BaseRenderer):
    """Lets a download answer `Accept: application/octet-stream`; the file itself is a streamed response."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def upload_stream(request):
    """The upload's bytes and their declared length. A chunked upload has no Content-Length: its body is read from
    the server's input to the end when the server says that input ends with the body (gunicorn decodes chunks
    and sets wsgi.input_terminated); its length is then None, known once read."""
    declared = request.META.get("CONTENT_LENGTH")
    if declared:
        return request.data, int(declared)
    if request.META.get("wsgi.input_terminated"):
        return request.META["wsgi.input"], None
    return None, 0


class OctetStreamParser(BaseParser):
    """`application/octet-stream`: hands the view the unread request stream, so uploads never sit in memory."""

    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


class ProblemAutoSchema(WrappedListSchema):
    """Documents every error status a view of this family can answer, as `application/problem+json`."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in {**ERROR_DESCRIPTIONS, "409": "A conflict with an earlier request."}.items():
            if code not in responses and (code != "409" or self.method != "GET"):
                error = OpenApiResponse(response=ProblemDetailsSerializer, description=description)
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if str(status_code)[0] in "45":
            media_types = [PROBLEM_JSON]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


class AltinnPagination(BasePagination):
    """`offset` and `limit` (default 100, at most 1000), answered as `pagination: {totalItems, page, pages}` beside
    what the view lists."""

    default_limit = 100
    max_limit = 1000
    too_small = "Limit and offset must be greater than or equal to 0"

    def paginate_queryset(self, queryset, request, view=None):
        query = request.query_params
        self.offset = whole_number(
            query.get("offset"), "offset", default=0, maximum=MAX_OFFSET, too_small=self.too_small
        )
        limit = whole_number(
            query.get("limit"), "limit", default=self.default_limit, maximum=self.max_limit, too_small=self.too_small
        )
        # A limit of 0 asks for the default page.
        self.limit = limit or self.default_limit
        self.total = queryset.count()
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data: dict):
        pages = max(1, -(-self.total // self.limit))
        pagination = {"totalItems": self.total, "page": self.offset // self.limit + 1, "pages": pages}
        return Response({**data, "pagination": pagination})

    def get_schema_operation_parameters(self, view):
        described = {
            "offset": f"Skip this many (default 0, at most {MAX_OFFSET}).",
            "limit": f"At most this many (default {self.default_limit}, at most {self.max_limit}).",
        }
        return [
            build_parameter_type(name, {"type": "integer"}, OpenApiParameter.QUERY, description=text)
            for name, text in described.items()
        ]


class SerializerValueField(forms.Field):
    """A query value checked by a body's field, so it is accepted and refused as it would be in a body."""

    def __init__(self, *, serializer_field, **kwargs):
        super().__init__(**kwargs)
        self.serializer_field = serializer_field

    def to_python(self, value):
        if value in (None, ""):
            # As a serializer reads a form: an optional value left empty is not given.
            return None
        try:
            return self.serializer_field.run_validation(value)
        except serializers.ValidationError as refusal:
            # Passed as a parameter: a caller's text in the message must not be read as a format.
            raise forms.ValidationError(
                [forms.ValidationError("%(detail)s", code=d.code, params={"detail": d}) for d in refusal.detail]
            ) from None


class SerializerValueFilter(django_filters.Filter):
    """A filter whose value `serializer_field` checks; documented as `schema` with its help text."""

    field_class = SerializerValueField

    def __init__(self, serializer_field, *, schema, **kwargs):
        super().__init__(serializer_field=serializer_field, **kwargs)
        documented(schema, self)


# Base of every view under /correspondence/api/v1/ (a comment: a docstring would describe every endpoint).
class AltinnView(GenericAPIView):
    authentication_classes = [BearerApiKeyAuthentication]
    permission_classes = [HasCorrespondenceScope]
    parser_classes = [LenientJSONParser]
    renderer_classes = [JSONRenderer]
    filter_backends = [DjangoFilterBackend]
    # No OPTIONS self-description: the OpenAPI document describes the family (OPTIONS is a 405 problem).
    metadata_class = None
    scope_family = "correspondence"
    entity_name = "record"
    schema = ProblemAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False) and isinstance(response, Response):
            response.accepted_renderer = ProblemDetailsRenderer()
            response.accepted_media_type = PROBLEM_JSON
        return response

    @property
    def is_test(self) -> bool:
        return request_is_test(self.request)

    @property
    def sender(self):
        """The API key that sends: attachments and correspondences belong to it."""
        return self.request.auth.api_key

    def valid(self, serializer_class, data=None) -> dict:
        serializer = serializer_class(data=self.request.data if data is None else data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
