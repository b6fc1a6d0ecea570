"""A serializer base for the hot API paths: its declared fields are built once per class, not per instance."""

import copy

from rest_framework import serializers


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


def _own_copy(field: serializers.Field) -> serializers.Field:
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)
