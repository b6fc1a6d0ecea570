"""Request and response bodies of /correspondence/api/v1/, with Altinn's camelCase names and limits."""

import re
import uuid

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from accounts.api.serializers import FieldsBuiltOnce
from correspondence import selectors
from correspondence.models import (
    AttachmentStatus,
    DispatchedCorrespondenceStatus,
    NotificationChannel,
    NotificationOrderStatus,
    NotificationState,
    NotificationTemplate,
    SharedAttachment,
)
from correspondence.recipients import InvalidRecipient, Recipient, parse_recipient
from correspondence.services import MAX_RECIPIENTS, Initialized

MD5_HEX = re.compile(r"^[0-9a-f]{32}$")


# --- Attachments ----------------------------------------------------------------------------------------------------


class InitializeAttachmentSerializer(FieldsBuiltOnce):
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
    correspondenceIds = serializers.SerializerMethodField(help_text="The correspondences that carry it.")

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
            "correspondenceIds",
        ]

    def get_correspondenceIds(self, attachment) -> list[uuid.UUID]:
        return selectors.correspondence_ids_using(attachment)


class AttachmentStatusEventSerializer(FieldsBuiltOnce):
    status = serializers.ChoiceField(AttachmentStatus.choices)
    statusText = serializers.SerializerMethodField()
    statusChanged = serializers.DateTimeField(source="changed_on")

    def get_statusText(self, event) -> str:
        return event.status_text or event.status


class AttachmentDetailsSerializer(AttachmentOverviewSerializer):
    statusHistory = AttachmentStatusEventSerializer(source="status_events", many=True)

    class Meta(AttachmentOverviewSerializer.Meta):
        fields = [*AttachmentOverviewSerializer.Meta.fields, "statusHistory"]


# --- Initialize -----------------------------------------------------------------------------------------------------


class EnumField(serializers.ChoiceField):
    """An Altinn enum: its name ("EmailPreferred") or, as .NET also accepts, its number (2)."""

    def __init__(self, choices, message: str = "", **kwargs):
        super().__init__(choices=choices, **kwargs)
        self.names = list(self.choices)
        if message:
            self.error_messages["invalid_choice"] = message

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and 0 <= data < len(self.names):
            return self.names[data]
        return super().to_internal_value(data)


def _text(max_length: int, too_long: str, blank: str) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, error_messages={"max_length": too_long, "blank": blank})


def _optional_text(max_length: int, too_long: str = "") -> serializers.CharField:
    messages = {"max_length": too_long} if too_long else {}
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, allow_null=True, default="", error_messages=messages
    )


class InitializeNotificationSerializer(FieldsBuiltOnce):
    notificationTemplate = EnumField(
        NotificationTemplate.choices,
        message="Invalid notification template",
        required=False,
        default=NotificationTemplate.CUSTOM_MESSAGE,
        help_text="CustomMessage when not given, as Altinn does.",
    )
    emailSubject = _optional_text(512)
    emailBody = _optional_text(10000)
    smsBody = _optional_text(2144)
    sendReminder = serializers.BooleanField(required=False, default=False)
    reminderEmailSubject = _optional_text(512)
    reminderEmailBody = _optional_text(10000)
    reminderSmsBody = _optional_text(2144)
    notificationChannel = EnumField(NotificationChannel.choices, required=False, default=NotificationChannel.EMAIL)
    reminderNotificationChannel = EnumField(NotificationChannel.choices, required=False, allow_null=True)
    sendersReference = _optional_text(4096)


class InitializeContentSerializer(FieldsBuiltOnce):
    language = EnumField(
        ["nb", "nn", "en"],
        message="Invalid language chosen. Supported languages is Norsk bokmål (nb), Nynorsk (nn) and English (en)",
        required=False,
        default="nb",
        help_text="nb when not given, as Altinn does.",
    )
    messageTitle = _text(255, "Message title cannot exceed 255 characters", "Message title cannot be empty")
    messageSummary = _optional_text(255, "Message summary, if not null, must be between 0 and 255 characters long")
    messageBody = _text(30000, "Message body cannot exceed 30000 characters", "Message body cannot be empty")
    attachments = serializers.ListField(
        required=False,
        help_text="Not accepted: upload files with POST attachment first and name them in existingAttachments.",
    )

    def validate_attachments(self, value):
        if value:
            raise serializers.ValidationError(
                "Upload attachments with POST attachment and name them in existingAttachments."
            )
        return value


class InitializeCorrespondenceSerializer(FieldsBuiltOnce):
    resourceId = _optional_text(255)
    sendersReference = serializers.CharField(max_length=4096)
    messageSender = _optional_text(255)
    content = InitializeContentSerializer(
        error_messages={"required": "The Content field must be provided for the correspondence"}
    )
    requestedPublishTime = serializers.DateTimeField(required=False, allow_null=True, default=None)
    dueDateTime = serializers.DateTimeField(required=False, allow_null=True, default=None)
    isConfirmationNeeded = serializers.BooleanField(required=False, default=False)
    notification = InitializeNotificationSerializer(required=False, allow_null=True, default=None)


class InitializeCorrespondencesSerializer(FieldsBuiltOnce):
    correspondence = InitializeCorrespondenceSerializer()
    recipients = serializers.ListField(
        child=serializers.CharField(),
        help_text="0192:{orgNumber}, urn:altinn:organization:identifier-no:{orgNumber}, "
        "or a national identity number with or without urn:altinn:person:identifier-no:.",
    )
    existingAttachments = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    idempotentKey = serializers.UUIDField(required=False, allow_null=True, default=None)

    def validate_recipients(self, value) -> list[Recipient]:
        if not value:
            raise serializers.ValidationError("Recipients can not be empty")
        if len(value) > MAX_RECIPIENTS:
            raise serializers.ValidationError(f"Recipients can contain at most {MAX_RECIPIENTS} recipients")
        parsed, problems = [], {}
        for index, text in enumerate(value):
            try:
                parsed.append(parse_recipient(text))
            except InvalidRecipient as error:
                problems[index] = [str(error)]
        if problems:
            raise serializers.ValidationError(problems)
        return parsed

    def validate_idempotentKey(self, value):
        if value is not None and value.int == 0:
            raise serializers.ValidationError("The idempotency key must be a valid non-empty GUID")
        return value


class InitializedNotificationSerializer(FieldsBuiltOnce):
    orderId = serializers.UUIDField(source="id")
    isReminder = serializers.BooleanField(source="is_reminder")
    status = serializers.ChoiceField(NotificationOrderStatus.choices)


class InitializedCorrespondenceSerializer(FieldsBuiltOnce):
    correspondenceId = serializers.UUIDField()
    status = serializers.ChoiceField(DispatchedCorrespondenceStatus.choices)
    recipient = serializers.CharField(help_text="0192:{orgNumber} for organisations, the bare number for persons.")
    notifications = InitializedNotificationSerializer(many=True)


class InitializeCorrespondencesResponseSerializer(FieldsBuiltOnce):
    correspondences = InitializedCorrespondenceSerializer(many=True)
    attachmentIds = serializers.ListField(child=serializers.UUIDField())


def initialized_body(result: Initialized) -> dict:
    return InitializeCorrespondencesResponseSerializer(
        {
            "correspondences": [
                {
                    "correspondenceId": correspondence.pk,
                    "status": correspondence.status,
                    "recipient": correspondence.recipient,
                    "notifications": orders,
                }
                for correspondence, orders in result.correspondences
            ],
            "attachmentIds": [attachment.pk for attachment in result.attachments],
        }
    ).data


# --- Overview and details -------------------------------------------------------------------------------------------


class CorrespondenceAttachmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField()
    fileName = serializers.CharField(source="file_name")
    displayName = serializers.CharField(source="display_name")
    dataType = serializers.CharField(source="data_type")
    isEncrypted = serializers.BooleanField(source="is_encrypted")
    sendersReference = serializers.CharField(source="senders_reference")

    class Meta:
        model = SharedAttachment
        fields = ["id", "fileName", "displayName", "dataType", "checksum", "size", "isEncrypted", "sendersReference"]


class CorrespondenceContentSerializer(FieldsBuiltOnce):
    language = serializers.CharField(source="dispatch.language")
    messageTitle = serializers.CharField(source="dispatch.message_title")
    messageSummary = serializers.CharField(source="dispatch.message_summary")
    messageBody = serializers.CharField(source="dispatch.message_body")
    attachments = CorrespondenceAttachmentSerializer(source="dispatch.attachments", many=True)


class NotificationOverviewSerializer(FieldsBuiltOnce):
    notificationOrderId = serializers.UUIDField(source="id")
    isReminder = serializers.BooleanField(source="is_reminder")


class CorrespondenceOverviewSerializer(FieldsBuiltOnce):
    correspondenceId = serializers.UUIDField(source="pk")
    recipient = serializers.CharField()
    status = serializers.ChoiceField(DispatchedCorrespondenceStatus.choices)
    statusText = serializers.SerializerMethodField()
    statusChanged = serializers.DateTimeField(source="status_changed")
    created = serializers.DateTimeField(source="created_on")
    published = serializers.DateTimeField(source="published_on", allow_null=True)
    read = serializers.DateTimeField(source="read_on", allow_null=True, help_text="When it was marked as read.")
    confirmed = serializers.DateTimeField(source="confirmed_on", allow_null=True, help_text="When it was confirmed.")
    resourceId = serializers.CharField(source="dispatch.resource_id")
    sendersReference = serializers.CharField(source="dispatch.senders_reference")
    messageSender = serializers.CharField(source="dispatch.message_sender")
    requestedPublishTime = serializers.DateTimeField(source="dispatch.requested_publish_time", allow_null=True)
    dueDateTime = serializers.DateTimeField(source="dispatch.due_date_time", allow_null=True)
    isConfirmationNeeded = serializers.BooleanField(source="dispatch.is_confirmation_needed")
    content = CorrespondenceContentSerializer(source="*")
    correspondenceNumber = serializers.CharField(
        source="correspondence.number", help_text="The customer's number for this correspondence (staff see it)."
    )
    notifications = NotificationOverviewSerializer(source="notification_orders", many=True)

    def get_statusText(self, correspondence) -> str:
        return correspondence.status_text or correspondence.status


class StatusEventSerializer(FieldsBuiltOnce):
    status = serializers.ChoiceField(DispatchedCorrespondenceStatus.choices)
    statusText = serializers.SerializerMethodField()
    statusChanged = serializers.DateTimeField(source="changed_on")

    def get_statusText(self, event) -> str:
        return event.status_text or event.status


class NotificationDetailsSerializer(FieldsBuiltOnce):
    notificationOrderId = serializers.UUIDField(source="id")
    isReminder = serializers.BooleanField(source="is_reminder")
    notificationChannel = serializers.ChoiceField(NotificationChannel.choices, source="channel")
    orderStatus = serializers.ChoiceField(
        NotificationOrderStatus.choices, source="status", help_text="As the Initialize answer reported it."
    )
    status = serializers.ChoiceField(NotificationState.choices, source="state", help_text="Where the message is now.")
    statusText = serializers.CharField(source="state_text")
    statusChanged = serializers.DateTimeField(source="state_changed")
    requestedSendTime = serializers.DateTimeField(source="send_after", allow_null=True)
    sent = serializers.DateTimeField(source="sent_on", allow_null=True)
    created = serializers.DateTimeField(source="created_on")


class CorrespondenceDetailsSerializer(CorrespondenceOverviewSerializer):
    statusHistory = StatusEventSerializer(source="status_events", many=True)
    notifications = NotificationDetailsSerializer(source="notification_orders", many=True)


class CorrespondenceListSerializer(FieldsBuiltOnce):
    ids = serializers.ListField(child=serializers.UUIDField())
    pagination = inline_serializer(
        "CorrespondencePagination",
        {
            "totalItems": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
        },
    )
