"""Serializers whose fields are built once per class: every instance still binds fields of its own."""

from rest_framework import serializers

from accounts.api.serializers import FieldsBuiltOnce


class Inner(FieldsBuiltOnce):
    label = serializers.SerializerMethodField()

    def get_label(self, value) -> str:
        return f"{self.context['prefix']}{value['name']}"


class Outer(FieldsBuiltOnce):
    name = serializers.CharField()
    inner = Inner(source="*", read_only=True)
    tags = serializers.ListField(child=serializers.CharField())


def test_each_instance_binds_its_own_fields_and_passes_its_own_context():
    first = Outer({"name": "a", "tags": ["x"]}, context={"prefix": "1:"})
    second = Outer({"name": "b", "tags": ["y"]}, context={"prefix": "2:"})

    assert first.data == {"name": "a", "inner": {"label": "1:a"}, "tags": ["x"]}
    assert second.data == {"name": "b", "inner": {"label": "2:b"}, "tags": ["y"]}
    for name in ("name", "inner", "tags"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    assert first.fields["tags"].child is not second.fields["tags"].child


def test_validation_errors_stay_with_their_instance():
    invalid, valid = Outer(data={"name": "", "tags": []}), Outer(data={"name": "ok", "tags": ["t"]})

    assert not invalid.is_valid()
    assert valid.is_valid(), valid.errors
    assert set(invalid.errors) == {"name"}
