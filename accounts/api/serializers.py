"""A serializer base for the hot API paths: its declared fields are built once per class, not per instance."""

import copy
import threading
from functools import cached_property

from rest_framework import serializers

# The fields of the request bodies this thread has validated, by serializer class (FieldsBuiltOnce.fields).
_this_thread = threading.local()


# DRF deep-copies every declared field for every serializer instance, which constructs each field again (about a
# fifth of a communications/create). Here the fields are built once per class; each instance gets shallow copies of
# the leaf fields (its own object to bind) and deep copies of nested serializers and of fields with a child, whose
# inner objects must not be shared. (No docstring: the schema would show it on every subclass.)
class FieldsBuiltOnce(serializers.Serializer):
    _built_fields: dict[type, dict] = {}

    def get_fields(self):
        cls = type(self)
        if cls not in self._built_fields:
            self._built_fields[cls] = super().get_fields()
        return {name: _own_copy(field) for name, field in self._built_fields[cls].items()}

    @cached_property
    def fields(self):
        if not hasattr(self, "initial_data"):
            return super().fields
        # A request body's fields keep nothing of the body they validated, and a thread validates one body at a
        # time: each thread builds and binds a class's fields once, then points them at each new instance.
        kept = _this_thread.__dict__.setdefault("fields", {})
        fields = kept.get(type(self))
        if fields is None:
            fields = kept[type(self)] = super().fields
        fields.serializer = self
        for field in fields.values():
            field.parent = self
        return fields


def _own_copy(field: serializers.Field) -> serializers.Field:
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)
