import base64
import binascii

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import FieldsBuiltOnce
from correspondence.models import Correspondence, CorrespondenceStatus
from correspondence.services import NewAttachment


class CorrespondenceSerializer(serializers.ModelSerializer):
    """A correspondence as read back; the seed's field names, then content, attachments and creation time."""

    correspondenceNumber = serializers.CharField(source="number")
    correspondenceDate = serializers.DateField(source="correspondence_date")
    status = serializers.ListField(
        source="status_names",
        child=serializers.ChoiceField(choices=CorrespondenceStatus.values),
        help_text="The statuses currently active: ready (the PDF is rendered), emailed, delivered.",
    )
    correspondenceType = serializers.CharField(source="correspondence_type.name")
    customer = serializers.UUIDField(source="customer_id", help_text="The id of the customer it belongs to.")
    content = serializers.DictField(child=serializers.CharField(), help_text="The text of each section of its type.")
    attachments = serializers.SerializerMethodField(help_text="Names of the extra documents kept with it.")
    created = serializers.DateTimeField(source="created_on", help_text="When the record was created (createdSince).")

    class Meta:
        model = Correspondence
        fields = [
            "id",
            "correspondenceNumber",
            "correspondenceDate",
            "status",
            "correspondenceType",
            "customer",
            "content",
            "attachments",
            "created",
        ]

    def get_attachments(self, correspondence) -> list[str]:
        return [attachment.name for attachment in correspondence.attachments.all()]


class AttachmentUploadSerializer(FieldsBuiltOnce):
    name = serializers.CharField(max_length=200, help_text="The name the email action refers to it by.")
    contentType = serializers.CharField(max_length=100, default="application/octet-stream")
    content = serializers.CharField(help_text="The document, base64-encoded.")

    def validate_content(self, value):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64.") from None

    def to_new_attachment(self, data) -> NewAttachment:
        # A partial write (PATCH) does not fill defaults in.
        content_type = data.get("contentType", "application/octet-stream")
        return NewAttachment(name=data["name"], content_type=content_type, data=data["content"])


READ_ONLY_FIELDS = ("id", "status", "customer", "created")


class CorrespondenceWriteSerializer(FieldsBuiltOnce):
    """POST customers/{id}/correspondence/ and PATCH correspondence/{id}."""

    correspondenceType = serializers.CharField(max_length=120, help_text="The name of a correspondence type.")
    correspondenceNumber = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="Assigned (next for the customer) when blank."
    )
    correspondenceDate = serializers.DateField(required=False, help_text="Today when not given.")
    content = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="Text per section key of the type; blank lines separate paragraphs.",
    )
    attachments = AttachmentUploadSerializer(
        many=True, required=False, help_text="Documents to keep with it; one with an existing name replaces it."
    )

    def validate(self, attrs):
        sent = set(self.initial_data) if hasattr(self.initial_data, "keys") else set()
        read_only = sorted(sent & set(READ_ONLY_FIELDS))
        if read_only:
            hint = " Use ?action=deliver or ?action=email to change the status." if "status" in read_only else ""
            raise serializers.ValidationError({read_only[0]: f"{read_only[0]} cannot be written.{hint}"})
        unknown = sorted(sent - set(self.fields) - set(READ_ONLY_FIELDS))
        if unknown:
            raise serializers.ValidationError({unknown[0]: f"Unknown field; the fields are {', '.join(self.fields)}."})
        if self.partial and not attrs:
            raise serializers.ValidationError("Give at least one field to change.")
        return attrs


@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "string", "format": "email"}}, {"type": "string"}]})
class EmailAddressesField(serializers.Field):
    """An array of addresses, or one string of comma-separated addresses."""

    default_error_messages = {"invalid": "Give an array of email addresses or a comma-separated string."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            items = data.split(",")
        elif isinstance(data, list) and all(isinstance(item, str) for item in data):
            items = [part for item in data for part in item.split(",")]
        else:
            self.fail("invalid")
        addresses = [item.strip() for item in items if item.strip()]
        if "[email protected]" in addresses:
            raise serializers.ValidationError(
                "'[email protected]' is the placeholder the published example shows where its addresses were; "
                "give real email addresses."
            )
        if not addresses:
            raise serializers.ValidationError(
                "Name at least one address, or leave email out to send to the customer and their recipients."
            )
        checker = serializers.EmailField()
        for address in addresses:
            checker.run_validation(address)
        return list(dict.fromkeys(addresses))

    def to_representation(self, value):
        return value


@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]})
class NamesField(serializers.Field):
    default_error_messages = {"invalid": "Give an array of attachment names."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.split(",")
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            self.fail("invalid")
        return list(dict.fromkeys(item.strip() for item in data if item.strip()))

    def to_representation(self, value):
        return value


class EmailActionSerializer(FieldsBuiltOnce):
    email = EmailAddressesField(
        required=False, help_text="Addresses to send it to; else the customer's and its correspondence recipients'."
    )
    attachments = NamesField(required=False, help_text="Names of the correspondence's attachments to add.")

    def validate(self, attrs):
        # A misspelt member (`emails`) must not quietly send the letter to the customer instead.
        sent = set(self.initial_data) if hasattr(self.initial_data, "keys") else set()
        unknown = sorted(sent - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: f"Unknown field; the fields are {', '.join(self.fields)}."})
        return attrs


class EmailActionResultSerializer(FieldsBuiltOnce):
    success = serializers.BooleanField()
    message = serializers.CharField()
