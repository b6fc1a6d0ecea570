"""OpenAPI helpers shared by the families."""

import django_filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, is_basic_type
from drf_spectacular.utils import OpenApiResponse, extend_schema_field

ERROR_DESCRIPTIONS = {
    "400": "The request is invalid; nothing was changed.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The credentials do not grant the scope this request needs.",
    "404": "No such record, or not visible to these credentials.",
    "405": "The method is not allowed on this path.",
    "406": "The Accept header names a type this endpoint cannot produce.",
    "415": "The request body's content type is not supported.",
    "429": "Too many requests: the API key is past its requests a minute (or, on a login, too many failed tries); "
    "`Retry-After` says in how many seconds to try again.",
}
WRITE_ERROR_DESCRIPTIONS = {
    "409": "The request conflicts with a record that exists (a duplicate) or with a concurrent change.",
}


def schema_with_errors(error_serializer, descriptions=ERROR_DESCRIPTIONS) -> type[AutoSchema]:
    """An AutoSchema that documents the family's error body under every error status a view can answer."""

    class FamilyAutoSchema(AutoSchema):
        def _get_response_bodies(self, direction="response"):
            responses = super()._get_response_bodies(direction)
            documented = dict(descriptions)
            if self.method in ("POST", "PUT", "PATCH", "DELETE"):
                documented.update(WRITE_ERROR_DESCRIPTIONS)
            for code, description in documented.items():
                if code not in responses:
                    error = OpenApiResponse(response=error_serializer, description=description)
                    responses[code] = self._get_response_for_code(error, code, direction=direction)
            return responses

    return FamilyAutoSchema


class WrappedListSchema(AutoSchema):
    """For a family whose lists are wrapped (in an envelope, or beside their paging): a GET documents the filters
    and paging its view declares, which drf-spectacular otherwise does only for answers that are arrays."""

    def get_filter_backends(self):
        if self.method == "GET" and getattr(self.view, "filterset_class", None):
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def _get_pagination_parameters(self):
        paginator = self._get_paginator() if self.method == "GET" else None
        if paginator is None:
            return super()._get_pagination_parameters()
        return paginator.get_schema_operation_parameters(self.view)


def documented(schema, filter_: django_filters.Filter) -> django_filters.Filter:
    """`filter_` documented as `schema` (an OpenAPI type or a schema) with its help text, not as drf-spectacular
    would guess from the filter's class."""
    shown = build_basic_type(schema) if is_basic_type(schema) else dict(schema)
    if filter_.extra.get("help_text"):
        shown["description"] = filter_.extra["help_text"]
    return extend_schema_field(shown)(filter_)
