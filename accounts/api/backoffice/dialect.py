"""The back-office v2 dialect: authentication, error body, `content`/`paging` lists, sorting, query values.

Every v2 view (accounts, contacts, activities) derives from `BackofficeView`, so the family's
wire format is decided here and nowhere else.
"""

from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.db.models import Subquery
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api.errors import describe
from accounts.api.parsers import MAX_OFFSET, LenientJSONParser, whole_number
from accounts.api.schema import schema_with_errors
from accounts.authentication import ApiKeyHeaderAuthentication, BearerJWTAuthentication
from accounts.errors import InvalidValue
from accounts.models import Contact, ContactType, UserIdentifier
from accounts.modes import request_is_test
from accounts.permissions import HasFamilyScope
from accounts.selectors import contact_named, get_contact

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
    max_page = MAX_OFFSET // max_size

    def paginate_queryset(self, queryset, request, view=None):
        self.read_page(request)
        self.total = queryset.count()
        return list(queryset[self.start : self.start + self.size])

    def read_page(self, request) -> None:
        """The page `size` and `page` ask for, and where it starts; a refusal names the parameter."""
        self.size = whole_number(
            request.query_params.get("size"), "size", default=self.default_size, minimum=1, maximum=self.max_size
        )
        self.page = whole_number(request.query_params.get("page"), "page", default=1, minimum=1, maximum=self.max_page)
        self.start = (self.page - 1) * self.size

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
                "schema": {"type": "integer", "default": 1, "minimum": 1, "maximum": self.max_page},
            },
            {
                "name": "size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "default": self.default_size, "minimum": 1, "maximum": self.max_size},
            },
        ]


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


def option(request, name: str) -> bool:
    """A true/false query parameter that shapes the answer rather than filtering it (false when absent)."""
    return bool(parse_bool(request.query_params.get(name), name))


class BackofficeSort(BaseFilterBackend):
    """`sort` names one of the view's `sort_fields` (wire name → model field, CREATED_DATE by default); `order` is
    ASC or DESC (default DESC). A filter backend, so a view declares its sorts and documents them in one place."""

    default = "CREATED_DATE"

    def filter_queryset(self, request, queryset, view):
        if not getattr(view, "sort_fields", None):
            return queryset
        return queryset.order_by(*self.ordering(request, view))

    def ordering(self, request, view) -> tuple[str, str]:
        """The order_by() terms `sort` and `order` ask for, among the view's `sort_fields`."""
        fields = view.sort_fields
        sort = request.query_params.get("sort") or self.default
        order = (request.query_params.get("order") or "DESC").upper()
        if sort not in fields:
            raise InvalidValue(f"sort accepts {', '.join(fields)}.", field="sort")
        if order not in ("ASC", "DESC"):
            raise InvalidValue("order accepts ASC or DESC.", field="order")
        prefix = "-" if order == "DESC" else ""
        return f"{prefix}{fields[sort]}", f"{prefix}pk"

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "sort_fields", None)
        if not fields:
            return []
        described = {
            "sort": (list(fields), f"Attribute to sort on (default {self.default})."),
            "order": (["ASC", "DESC"], "Sort direction (default DESC)."),
        }
        return [
            build_parameter_type(name, {"type": "string"}, OpenApiParameter.QUERY, description=text, enum=values)
            for name, (values, text) in described.items()
        ]


# The family's query values, as FilterSet filters: each field parses with the family's parser and is refused in the
# family's words.


class TrueOrFalseField(forms.Field):
    def to_python(self, value):
        return parse_bool(value, self.parameter)


class TrueOrFalseFilter(django_filters.BooleanFilter):
    """`true`/`1` or `false`/`0`, any case."""

    field_class = TrueOrFalseField


class ChoicesCsvField(forms.Field):
    def __init__(self, *, allowed, **kwargs):
        super().__init__(**kwargs)
        self.allowed = allowed

    def to_python(self, value):
        return parse_csv(value, self.parameter, self.allowed)


class ChoicesCsvFilter(django_filters.CharFilter):
    """A `csv` collection of `allowed` values, documented as one string; matches any of them."""

    field_class = ChoicesCsvField

    def __init__(self, allowed, **kwargs):
        super().__init__(lookup_expr="in", allowed=list(allowed), **kwargs)


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


# A time reported as C (whole seconds) is stored anywhere in [C, C+1): each operator compares what is reported.
WHOLE_SECOND_LOOKUPS = {"gt": ("gte", 1), "gte": ("gte", 0), "lt": ("lt", 0), "lte": ("lt", 1)}


@extend_schema_field(OpenApiTypes.INT)
class EpochFilter(django_filters.Filter):
    """Compares at the precision the family reports (whole seconds): a record shown with `created_on: C` is not
    `created_on[gt]=C` and is `created_on[lte]=C`, though the stored time keeps fractions of a second."""

    field_class = EpochField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        lookup, seconds = WHOLE_SECOND_LOOKUPS[self.lookup_expr]
        try:
            bound = value + timedelta(seconds=seconds)
        except OverflowError:  # the last second of the calendar: after it nothing, up to it every dated record
            return queryset.none() if lookup == "gte" else queryset.filter(**{f"{self.field_name}__isnull": False})
        return queryset.filter(**{f"{self.field_name}__{lookup}": bound})


CONTACT_IN_PATH = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description="The contact's id, or the code it was given (e.g. C123)."
)


class ContactFilter(django_filters.CharFilter):
    """A contact by GUID or by its code (`contact_id=C123`), as every v2 path and body names one."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(**{self.field_name: Subquery(contact_named(value).values("pk"))})


class UserFilter(django_filters.UUIDFilter):
    """A user by the GUID the family shows users by."""

    def filter(self, queryset, value):
        if value is None:
            return queryset
        users = UserIdentifier.objects.filter(guid=value).values("user_id")[:1]
        return queryset.filter(**{self.field_name: Subquery(users)})


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class UUIDInFilter(django_filters.BaseInFilter, django_filters.UUIDFilter):
    pass


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    pass


# Base of every v2 view: the family's authentication, scope, parsers, renderer and errors.
# (A comment, not a docstring: drf-spectacular would print a docstring on every endpoint.)
class BackofficeView(GenericAPIView):
    authentication_classes = [ApiKeyHeaderAuthentication, BearerJWTAuthentication]
    permission_classes = [HasFamilyScope]
    parser_classes = [LenientJSONParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    pagination_class = BackofficePagination
    filter_backends = [DjangoFilterBackend, BackofficeSort]
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

    def contact(self, identifier, *, organisation: bool = False) -> Contact:
        """The contact a path or body names, by GUID or by code: the family's one way of finding contacts. An
        organisation is a contact of type COMPANY."""
        contacts = Contact.objects.in_mode(self.is_test)
        if organisation:
            return get_contact(contacts.filter(contact_type=ContactType.COMPANY), identifier, "organisation")
        return get_contact(contacts, identifier)

    def valid(self, serializer_class) -> dict:
        """The request body checked by `serializer_class`; a refusal is raised in the v2 error body."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
