"""Request and response bodies of /correspondence/api/v1/, with Altinn's camelCase names and limits."""

import re

from rest_framework import serializers

from correspondence.models import SharedAttachment

MD5_HEX = re.compile(r"^[0-9a-f]{32}$")


# --- Attachments ----------------------------------------------------------------------------------------------------


class InitializeAttachmentSerializer(serializers.Serializer):
    fileName = serializers.CharField(max_length=255, help_text="The file's name; its extension must be allowed.")
    displayName = serializers.CharField(max_length=255, required=False, allow_blank=True)
    name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Older name of displayName, still accepted."
    )
    sendersReference = serializers.CharField(max_length=4096)
    checksum = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="MD5 of the file, 32 lower-case hex digits."
    )
    isEncrypted = serializers.BooleanField(required=False, default=False)
    resourceId = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def validate_checksum(self, value):
        if not value:
            return ""
        if len(value) != 32:
            raise serializers.ValidationError(
                "The checksum, if used, must be a MD5 hash with a length of 32 characters"
            )
        if value.lower() != value or not MD5_HEX.match(value):
            raise serializers.ValidationError("The checksum, if used, must be a MD5 hash in lower case")
        return value


class AttachmentOverviewSerializer(serializers.ModelSerializer):
    attachmentId = serializers.UUIDField(source="id")
    resourceId = serializers.CharField(source="resource_id")
    fileName = serializers.CharField(source="file_name")
    displayName = serializers.CharField(source="display_name")
    isEncrypted = serializers.BooleanField(source="is_encrypted")
    sendersReference = serializers.CharField(source="senders_reference")
    dataType = serializers.CharField(source="data_type", help_text="The MIME type found in the uploaded bytes.")
    statusText = serializers.CharField(source="status_text")
    statusChanged = serializers.DateTimeField(source="status_changed")

    class Meta:
        model = SharedAttachment
        fields = [
            "attachmentId",
            "resourceId",
            "fileName",
            "displayName",
            "isEncrypted",
            "checksum",
            "sendersReference",
            "dataType",
            "size",
            "status",
            "statusText",
            "statusChanged",
        ]
