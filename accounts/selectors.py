"""Reads reused across entry points."""

import uuid

from django.db.models import Model, QuerySet

from .errors import NotFound


def get_by_id(queryset: QuerySet, identifier, entity: str) -> Model:
    """The record with that UUID in the queryset (already narrowed to the caller's mode), else NotFound."""
    try:
        pk = identifier if isinstance(identifier, uuid.UUID) else uuid.UUID(str(identifier))
    except ValueError:
        raise NotFound(entity, identifier) from None
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise NotFound(entity, identifier)
    return record


def get_optional(queryset: QuerySet, identifier, entity: str) -> Model | None:
    return None if identifier is None else get_by_id(queryset, identifier, entity)
