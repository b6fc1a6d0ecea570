import math
from collections.abc import Mapping
from datetime import UTC, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import FieldsBuiltOnce
from accounts.selectors import user_guid
from activities.models import ActivityState, LinkType

CONTACT = "CONTACT"


def epoch_seconds(value: datetime) -> int:
    return math.floor(value.timestamp())  # whole seconds down, as the epoch filters compare


@extend_schema_field(OpenApiTypes.INT)
class EpochField(serializers.Field):
    """A date as whole seconds since 1970-01-01 UTC, both ways."""

    default_error_messages = {"invalid": "Give a date as whole seconds since 1970 (epoch)."}

    def to_representation(self, value):
        return epoch_seconds(value)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        try:
            seconds = int(str(data).strip())
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (TypeError, ValueError, OverflowError, OSError):
            self.fail("invalid")


# Requests


class ScheduleSerializer(FieldsBuiltOnce):
    from_date = EpochField(help_text="Scheduled from, epoch seconds.")
    to_date = EpochField(required=False, allow_null=True, help_text="Scheduled to, epoch seconds.")


class LinkSerializer(FieldsBuiltOnce):
    type = serializers.ChoiceField(choices=[CONTACT, *LinkType.values])
    id = serializers.CharField(
        max_length=64, help_text="The record's id; a CONTACT may also be named by its code (e.g. C123)."
    )


class AssignmentSerializer(FieldsBuiltOnce):
    user_id = serializers.UUIDField(required=False, allow_null=True, help_text="The user identifier.")
    team_id = serializers.UUIDField(required=False, allow_null=True, help_text="The team identifier.")


class CustomFieldSerializer(FieldsBuiltOnce):
    key = serializers.CharField(max_length=64)
    value = serializers.CharField(max_length=500, allow_blank=True, allow_null=True)


def _links(links: list[dict], *, on_create: bool) -> list[dict]:
    contacts = [link for link in links if link["type"] == CONTACT]
    others = [link for link in links if link["type"] != CONTACT]
    if on_create and len(contacts) != 1:
        raise serializers.ValidationError("Give exactly one CONTACT in linked_to.")
    if len(contacts) > 1:
        raise serializers.ValidationError("An activity has one contact.")
    if len(others) > 1:
        raise serializers.ValidationError("Besides the contact, give at most one LEAD, SERVICE_REQUEST or ORDER.")
    return links


def _custom_fields(entries: list[dict] | None) -> dict[str, str] | None:
    if entries is None:
        return None
    values = {}
    for entry in entries:
        if not entry:
            raise serializers.ValidationError("Each custom field needs a key and a value.")
        if entry["key"] in values:
            raise serializers.ValidationError(f"The key {entry['key']} is given twice.")
        values[entry["key"]] = entry["value"] or ""
    return values


class ActivityCreateSerializer(FieldsBuiltOnce):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    type_id = serializers.UUIDField()
    address_id = serializers.UUIDField(required=False, allow_null=True)
    use_entity_address = serializers.BooleanField(required=False, allow_null=True, default=False)
    scheduled_on = ScheduleSerializer()
    linked_to = LinkSerializer(
        many=True, help_text="Exactly one CONTACT, and at most one LEAD, SERVICE_REQUEST or ORDER."
    )
    assign_to = AssignmentSerializer(required=False, allow_null=True)
    custom_fields = CustomFieldSerializer(many=True, required=False, allow_null=True)

    def validate_linked_to(self, links):
        return _links(links, on_create=True)

    def validate_custom_fields(self, entries):
        return _custom_fields(entries)


class ActivityUpdateSerializer(FieldsBuiltOnce):
    """Attributes left out stay as they are. null clears description, address_id, assign_to and custom_fields;
    it leaves name, type_id, state, scheduled_on and linked_to as they are."""

    name = serializers.CharField(required=False, allow_null=True, max_length=200)
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    state = serializers.ChoiceField(choices=ActivityState.choices, required=False, allow_null=True)
    type_id = serializers.UUIDField(required=False, allow_null=True)
    address_id = serializers.UUIDField(required=False, allow_null=True)
    use_entity_address = serializers.BooleanField(required=False, allow_null=True)
    scheduled_on = ScheduleSerializer(required=False, allow_null=True)
    linked_to = LinkSerializer(
        many=True,
        required=False,
        allow_null=True,
        help_text="At most one LEAD, SERVICE_REQUEST or ORDER (replacing the current one; [] removes it). "
        "A CONTACT entry must name the activity's own contact.",
    )
    assign_to = AssignmentSerializer(required=False, allow_null=True)
    custom_fields = CustomFieldSerializer(many=True, required=False, allow_null=True)

    def validate_linked_to(self, links):
        return None if links is None else _links(links, on_create=False)

    def validate_custom_fields(self, entries):
        return _custom_fields(entries)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Give at least one attribute to update.")
        return attrs


class TagsUpdateSerializer(FieldsBuiltOnce):
    tags = serializers.ListField(child=serializers.UUIDField(), allow_empty=True, help_text="Tag identifiers.")


class EitherSpelling:
    """The seed writes `color` on types and `colour` on tags; each takes the other spelling too."""

    spelling = "color"

    def to_internal_value(self, data):
        other = "colour" if self.spelling == "color" else "color"
        if isinstance(data, Mapping) and other in data and self.spelling not in data:
            data = data.copy()
            data[self.spelling] = data[other]
        return super().to_internal_value(data)


class ActivityTypeSerializer(EitherSpelling, serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=120)
    color = serializers.CharField(required=False, allow_blank=True, max_length=7, help_text="Hex code, e.g. 876FD5.")


class TagSerializer(EitherSpelling, serializers.Serializer):
    spelling = "colour"

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=120)
    colour = serializers.CharField(required=False, allow_blank=True, max_length=7, help_text="Hex code, e.g. #0000FF.")


# Responses


class ScheduleOutSerializer(FieldsBuiltOnce):
    from_date = EpochField(source="scheduled_from")
    to_date = EpochField(source="scheduled_to", allow_null=True)


class KeyDatesSerializer(FieldsBuiltOnce):
    created_on = EpochField()
    scheduled_on = ScheduleOutSerializer(source="*")


class ContactRefSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()
    name = serializers.CharField(source="full_name")
    code = serializers.CharField(allow_null=True)


class LeadRefSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()
    title = serializers.CharField()


class NumberedRefSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()
    number = serializers.CharField()


def linked_ref(activity, link: str, label: str) -> dict | None:
    """{"id", <label>} of the lead, service request or order; the label as activities.selectors reads it."""
    pk = getattr(activity, f"{link}_id")
    if pk is None:
        return None
    shown = getattr(activity, f"{link}_{label}", None)
    return {"id": str(pk), label: shown if shown is not None else getattr(getattr(activity, link), label)}


class UserRefSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()
    name = serializers.CharField()
    username = serializers.CharField()


class TeamRefSerializer(FieldsBuiltOnce):
    id = serializers.UUIDField()
    name = serializers.CharField()


class AssignmentOutSerializer(FieldsBuiltOnce):
    user = serializers.SerializerMethodField()
    team = TeamRefSerializer(source="assigned_team", allow_null=True)

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_user(self, activity) -> dict | None:
        user = activity.assigned_user
        if user is None:
            return None
        guid = getattr(activity, "assigned_user_guid", None) or user_guid(user)
        return user_ref(guid, user.get_full_name(), user.get_username())


def user_ref(guid, full_name: str, username: str) -> dict:
    """An assigned user as a list entry and a single activity show them: by GUID, named by username if need be."""
    return {"id": str(guid), "name": full_name or username, "username": username}


class CustomFieldOutSerializer(FieldsBuiltOnce):
    key = serializers.CharField(source="definition.key")
    value = serializers.CharField()


class StateChangeSerializer(FieldsBuiltOnce):
    state = serializers.ChoiceField(choices=ActivityState.choices)
    date = EpochField()


class AddressOutSerializer(FieldsBuiltOnce):
    address_line_1 = serializers.CharField()
    address_line_2 = serializers.CharField()
    state_province_county = serializers.CharField()
    town_city = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField(source="country_code", help_text="ISO 3166-1 alpha-3.")
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    google_place_id = serializers.CharField()


class ActivitySummarySerializer(FieldsBuiltOnce):
    """The attributes a list entry and a single activity share."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=ActivityState.choices)
    key_dates = KeyDatesSerializer(source="*")
    type = ActivityTypeSerializer()
    contact = ContactRefSerializer()
    lead = serializers.SerializerMethodField()
    service_request = serializers.SerializerMethodField()
    order = serializers.SerializerMethodField()
    assign_to = AssignmentOutSerializer(source="*")

    @extend_schema_field(LeadRefSerializer(allow_null=True))
    def get_lead(self, activity) -> dict | None:
        return linked_ref(activity, "lead", "title")

    @extend_schema_field(NumberedRefSerializer(allow_null=True))
    def get_service_request(self, activity) -> dict | None:
        return linked_ref(activity, "service_request", "number")

    @extend_schema_field(NumberedRefSerializer(allow_null=True))
    def get_order(self, activity) -> dict | None:
        return linked_ref(activity, "order", "number")


class ActivityListItemSerializer(ActivitySummarySerializer):
    """One entry of GET /activities/: `custom_fields` and `tags` only when asked for."""

    custom_fields = CustomFieldOutSerializer(
        source="custom_field_values", many=True, help_text="Only with include_custom_fields=true."
    )
    tags = TagSerializer(many=True, help_text="Only with include_tags=true.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.context.get("include_custom_fields", True):
            self.fields.pop("custom_fields")
        if not self.context.get("include_tags", True):
            self.fields.pop("tags")


class ActivityDetailSerializer(ActivitySummarySerializer):
    address = AddressOutSerializer(allow_null=True)
    states = StateChangeSerializer(source="state_history", many=True, help_text="The dated state history.")
    custom_fields = CustomFieldOutSerializer(source="custom_field_values", many=True)


class TagListSerializer(FieldsBuiltOnce):
    content = TagSerializer(many=True)
