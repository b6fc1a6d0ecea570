"""The back-office v2 dialect: authentication, error body, `content`/`paging` lists, sorting.

Every v2 view (accounts, contacts, activities) derives from `BackofficeView`, so the family's
wire format is decided here and nowhere else.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api.errors import describe
from accounts.api.parsers import LenientJSONParser
from accounts.api.schema import schema_with_errors
from accounts.authentication import ApiKeyHeaderAuthentication, BearerJWTAuthentication
from accounts.errors import InvalidValue
from accounts.modes import request_is_test
from accounts.permissions import HasFamilyScope

ERROR_NAMES = {
    "not_found": "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION",
    "missing": "CRM.EXCEPTIONS.MISSINGPARAMETEREXCEPTION",
    "invalid": "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION",
    "illegal_transition": "CRM.EXCEPTIONS.INVALIDSTATETRANSITIONEXCEPTION",
    "conflict": "CRM.EXCEPTIONS.ALREADYEXISTSEXCEPTION",
    "unauthenticated": "CRM.EXCEPTIONS.UNAUTHORIZEDEXCEPTION",
    "forbidden": "CRM.EXCEPTIONS.FORBIDDENEXCEPTION",
    "method_not_allowed": "CRM.EXCEPTIONS.METHODNOTALLOWEDEXCEPTION",
    "not_acceptable": "CRM.EXCEPTIONS.NOTACCEPTABLEEXCEPTION",
    "unsupported_media_type": "CRM.EXCEPTIONS.UNSUPPORTEDMEDIATYPEEXCEPTION",
    "parse_error": "CRM.EXCEPTIONS.INVALIDREQUESTEXCEPTION",
    "too_large": "CRM.EXCEPTIONS.PAYLOADTOOLARGEEXCEPTION",
    "throttled": "CRM.EXCEPTIONS.TOOMANYREQUESTSEXCEPTION",
    "unavailable": "CRM.EXCEPTIONS.SERVICEUNAVAILABLEEXCEPTION",
    "internal": "CRM.EXCEPTIONS.INTERNALSERVEREXCEPTION",
}


class BackofficeErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    message = serializers.CharField()
    error = serializers.CharField()
    parameters = serializers.ListField(child=serializers.CharField())


def exception_handler(exc, context):
    error = describe(exc, context)
    body = {
        "status": error.status,
        "message": error.message,
        "error": ERROR_NAMES.get(error.kind, ERROR_NAMES["invalid"]),
        "parameters": [str(p) for p in error.parameters],
    }
    return Response(body, status=error.status, headers=error.headers)


class BackofficePagination(BasePagination):
    """`page` (from 1) and `size` (default 10, at most 100), answered as `content` and `paging`."""

    default_size = 10
    max_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.page = _positive_int(request.query_params.get("page"), "page", 1)
        self.size = _positive_int(request.query_params.get("size"), "size", self.default_size)
        if self.size > self.max_size:
            raise InvalidValue(f"size may be at most {self.max_size}.", field="size")
        self.total = queryset.count()
        start = (self.page - 1) * self.size
        return list(queryset[start : start + self.size])

    def get_paginated_response(self, data):
        return Response({"content": data, "paging": {"page": self.page, "size": self.size, "total": self.total}})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["content", "paging"],
            "properties": {
                "content": schema,
                "paging": {
                    "type": "object",
                    "properties": {
                        "page": {"type": "integer"},
                        "size": {"type": "integer"},
                        "total": {"type": "integer"},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "default": 1, "minimum": 1},
            },
            {
                "name": "size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "default": self.default_size, "minimum": 1, "maximum": self.max_size},
            },
        ]


def _positive_int(raw, name: str, default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidValue(f"{name} must be a whole number.", field=name) from None
    if value < 1:
        raise InvalidValue(f"{name} must be 1 or more.", field=name)
    return value


def parse_csv(raw: str | None, name: str, allowed=None) -> list[str]:
    """A `csv` collection parameter; with `allowed`, every item must be one of them."""
    items = [item.strip() for item in (raw or "").split(",") if item.strip()]
    if allowed is not None:
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise InvalidValue(f"{name} accepts {', '.join(allowed)}; got {', '.join(unknown)}.", field=name)
    return items


def parse_bool(raw: str | None, name: str) -> bool | None:
    if raw in (None, ""):
        return None
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise InvalidValue(f"{name} must be true or false.", field=name)


def apply_sort(queryset: QuerySet, request, fields: dict[str, str], default: str = "CREATED_DATE") -> QuerySet:
    """`sort` names one of `fields` (wire name → model field); `order` is ASC or DESC (default DESC)."""
    sort = request.query_params.get("sort") or default
    order = (request.query_params.get("order") or "DESC").upper()
    if sort not in fields:
        raise InvalidValue(f"sort accepts {', '.join(fields)}.", field="sort")
    if order not in ("ASC", "DESC"):
        raise InvalidValue("order accepts ASC or DESC.", field="order")
    prefix = "-" if order == "DESC" else ""
    return queryset.order_by(f"{prefix}{fields[sort]}", f"{prefix}pk")


def sort_parameters(fields) -> list[OpenApiParameter]:
    return [
        OpenApiParameter("sort", str, enum=list(fields), description="Attribute to sort on (default CREATED_DATE)."),
        OpenApiParameter("order", str, enum=["ASC", "DESC"], description="Sort direction (default DESC)."),
    ]


# Base of every v2 view: the family's authentication, scope, parsers, renderer and errors.
# (A comment, not a docstring: drf-spectacular would print a docstring on every endpoint.)
class BackofficeView(GenericAPIView):
    authentication_classes = [ApiKeyHeaderAuthentication, BearerJWTAuthentication]
    permission_classes = [HasFamilyScope]
    parser_classes = [LenientJSONParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    pagination_class = BackofficePagination
    scope_family = "backoffice"
    entity_name = "record"
    schema = schema_with_errors(BackofficeErrorSerializer)()

    def get_exception_handler(self):
        return exception_handler

    @property
    def is_test(self) -> bool:
        return request_is_test(self.request)

    def get_queryset(self):
        return super().get_queryset().in_mode(self.is_test)

    def valid(self, serializer_class) -> dict:
        """The request body checked by `serializer_class`; a refusal is raised in the v2 error body."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
