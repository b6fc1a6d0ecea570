"""What went wrong, told once; each family's dialect then words it in its own error body."""

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions

from accounts import errors

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; try again shortly."
# What a 503 asks a client to wait: a database restart or failover takes seconds.
RETRY_AFTER_SECONDS = 10


@dataclass
class ApiError:
    status: int
    kind: str
    message: str
    field: str | None = None
    parameters: list = dataclasses.field(default_factory=list)
    headers: dict = dataclasses.field(default_factory=dict)


DOMAIN_KINDS = {
    errors.NotFound: "not_found",
    errors.MissingValue: "missing",
    errors.IllegalTransition: "illegal_transition",
    errors.Conflict: "conflict",
    errors.InvalidValue: "invalid",
    errors.TooManyRequests: "throttled",
}

DRF_KINDS = {
    exceptions.NotAuthenticated: "unauthenticated",
    exceptions.AuthenticationFailed: "unauthenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ParseError: "parse_error",
    exceptions.Throttled: "throttled",
}


def first_validation_error(detail, path: str = "") -> tuple[str, str, str]:
    """(field path, message, code) of the first error in a DRF ValidationError's detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            return first_validation_error(value, f"{path}.{name}" if path and name else (name or path))
    if isinstance(detail, list) and detail:
        for index, item in enumerate(detail):
            if item:
                sub = path if not isinstance(item, dict | list) else f"{path}[{index}]"
                return first_validation_error(item, sub)
    return path, str(detail), getattr(detail, "code", "invalid")


def database_unavailable(exc: BaseException | None) -> bool:
    """The database did not answer (down, restarting, connection lost): the request may succeed when retried."""
    # InterfaceError is a connection that was lost earlier in the same request ("connection already closed").
    return isinstance(exc, OperationalError | InterfaceError)


def describe(exc: Exception, context: dict, names: Mapping[str, str] = MappingProxyType({})) -> ApiError:
    """`exc` told once; `names` maps the domain's field names onto the family's wire names."""
    if isinstance(exc, errors.DomainError):
        kind = next((k for cls, k in DOMAIN_KINDS.items() if isinstance(exc, cls)), "invalid")
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, errors.TooManyRequests) else {}
        return ApiError(exc.status, kind, exc.worded(names), exc.wire_name(names), exc.wire_parameters(names), headers)
    if isinstance(exc, exceptions.ValidationError):
        path, message, code = first_validation_error(exc.detail)
        kind = "missing" if code in ("required", "null", "blank") else "invalid"
        text = f"{path}: {message}" if path else message
        return ApiError(400, kind, text, path or None, [p for p in (path, message) if p])
    if isinstance(exc, Http404 | exceptions.NotFound):
        view = context.get("view")
        entity = getattr(view, "entity_name", "record")
        identifier = (context.get("kwargs") or {}).get("pk", "")
        detail = str(getattr(exc, "detail", ""))
        if detail and detail != str(exceptions.NotFound.default_detail):
            return ApiError(404, "not_found", detail)
        return ApiError(404, "not_found", "Record not found.", None, [entity, str(identifier)])
    if isinstance(exc, DjangoPermissionDenied):
        return ApiError(403, "forbidden", "Permission denied.")
    if isinstance(exc, exceptions.APIException):
        kind = next((k for cls, k in DRF_KINDS.items() if isinstance(exc, cls)), "invalid")
        if exc.status_code == 413:
            kind = "too_large"
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return ApiError(exc.status_code, kind, str(exc.detail), None, [], headers)
    if isinstance(exc, IntegrityError):
        # A concurrent request won the race for a unique value; the loser changed nothing.
        log.warning("api.integrity_conflict error=%s", exc)
        return ApiError(409, "conflict", "The record was changed by a concurrent request; try again.")
    if isinstance(exc, DataError):
        # A value the database cannot store (too long, a NUL byte): the request's fault, and nothing was written.
        log.info("api.data_error error=%s", exc)
        return ApiError(400, "invalid", "A value in the request cannot be stored (too long or malformed).")
    if database_unavailable(exc):
        log.error("api.database_unavailable error=%s", exc)
        return ApiError(503, "unavailable", UNAVAILABLE_MESSAGE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    log.exception("api.unhandled_error")
    return ApiError(500, "internal", "An unexpected error occurred.")
