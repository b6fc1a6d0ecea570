"""Altinn dispatches (seed 001): shared attachments, the dispatch of one Initialize, the correspondence it
dispatches to each recipient with its status history, and their notification orders and reminders."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import localize

from accounts.history import ActedBy, RecordHistory
from accounts.models import ApiKey, ModeScopedModel

from .letters import Correspondence


class AttachmentStatus(models.TextChoices):
    INITIALIZED = "Initialized", "Initialized"
    UPLOAD_PROCESSING = "UploadProcessing", "Upload processing"
    PUBLISHED = "Published", "Published"
    FAILED = "Failed", "Failed"
    PURGED = "Purged", "Purged"


class SharedAttachment(ModeScopedModel):
    """A file a sender uploads once and then attaches to any number of dispatched correspondences."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sender = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="shared_attachments")
    file_name = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255, blank=True)
    senders_reference = models.CharField(max_length=4096)
    resource_id = models.CharField(max_length=255, blank=True)
    is_encrypted = models.BooleanField(default=False)
    checksum = models.CharField(max_length=32, blank=True, help_text="The MD5 the sender declared, lower-case hex.")
    data_type = models.CharField(max_length=100, blank=True, help_text="The MIME type found in the uploaded bytes.")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="correspondence/shared/", blank=True, max_length=300)
    status = models.CharField(
        max_length=16, choices=AttachmentStatus, default=AttachmentStatus.INITIALIZED, db_index=True
    )
    status_text = models.CharField(max_length=500, blank=True, help_text="Why, for a failed upload.")
    status_changed = models.DateTimeField(default=timezone.now)
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AttachmentStatus.values), name="shared_attachment_status_valid"
            )
        ]

    def __str__(self):
        return self.display_name or self.file_name


class SharedAttachmentStatusEvent(models.Model):
    """One step of a shared attachment's life (Initialized, UploadProcessing, Published, Failed, Purged)."""

    attachment = models.ForeignKey(SharedAttachment, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(max_length=16, choices=AttachmentStatus)
    status_text = models.CharField(max_length=500, blank=True)
    changed_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.get_status_display()} {self.changed_on:%Y-%m-%d %H:%M}"


class NotificationTemplate(models.TextChoices):
    CUSTOM_MESSAGE = "CustomMessage", "The sender's own texts"
    GENERIC_MESSAGE = "GenericAltinnMessage", "Our standard texts"


class NotificationChannel(models.TextChoices):
    EMAIL = "Email", "Email"
    SMS = "Sms", "SMS"
    EMAIL_PREFERRED = "EmailPreferred", "Email, else SMS"
    SMS_PREFERRED = "SmsPreferred", "SMS, else email"
    EMAIL_AND_SMS = "EmailAndSms", "Email and SMS"


class Dispatch(ModeScopedModel):
    """One Initialize: a message, its schedule and its notification, sent to each recipient as their own letter."""

    single_line_fields = ("resource_id", "senders_reference", "message_sender", "message_title")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sender = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="dispatches")
    idempotent_key = models.UUIDField(null=True, blank=True, help_text="The sender's key against a repeated request.")
    resource_id = models.CharField(max_length=255, blank=True)
    senders_reference = models.CharField(max_length=4096)
    message_sender = models.CharField(max_length=255, blank=True, help_text="Shown instead of the sender's name.")
    language = models.CharField(max_length=2)
    message_title = models.CharField(max_length=255)
    message_summary = models.CharField(max_length=255, blank=True)
    message_body = models.TextField()
    requested_publish_time = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(help_text="The requested publish time, or the moment of the request.")
    due_date_time = models.DateTimeField(null=True, blank=True)
    is_confirmation_needed = models.BooleanField(default=False)
    attachments = models.ManyToManyField(SharedAttachment, blank=True, related_name="dispatches")
    notification_template = models.CharField(
        max_length=24, choices=NotificationTemplate, blank=True, help_text="Blank: no notification."
    )
    notification_channel = models.CharField(max_length=16, choices=NotificationChannel, blank=True)
    email_subject = models.CharField(max_length=512, blank=True)
    email_body = models.TextField(blank=True)
    sms_body = models.TextField(blank=True)
    send_reminder = models.BooleanField(default=False)
    reminder_channel = models.CharField(max_length=16, choices=NotificationChannel, blank=True)
    reminder_email_subject = models.CharField(max_length=512, blank=True)
    reminder_email_body = models.TextField(blank=True)
    reminder_sms_body = models.TextField(blank=True)
    created_on = models.DateTimeField(default=timezone.now)

    history = RecordHistory()

    class Meta:
        verbose_name_plural = "dispatches"
        ordering = ["-created_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "idempotent_key"],
                condition=Q(idempotent_key__isnull=False),
                name="dispatch_idempotent_key_unique_per_sender",
            )
        ]

    def __str__(self):
        return f"{self.message_title} ({self.senders_reference})"


class DispatchedCorrespondenceStatus(models.TextChoices):
    """Where a dispatched correspondence stands, in Altinn's words."""

    INITIALIZED = "Initialized", "Initialized"
    READY_FOR_PUBLISH = "ReadyForPublish", "Ready for publish"
    PUBLISHED = "Published", "Published"
    FAILED = "Failed", "Failed"
    READ = "Read", "Read"
    CONFIRMED = "Confirmed", "Confirmed"
    PURGED_BY_RECIPIENT = "PurgedByRecipient", "Purged by the recipient"
    PURGED_BY_ALTINN = "PurgedByAltinn", "Purged by the sender before publishing"


PURGED = (DispatchedCorrespondenceStatus.PURGED_BY_RECIPIENT, DispatchedCorrespondenceStatus.PURGED_BY_ALTINN)


class DispatchedCorrespondence(ModeScopedModel):
    """A dispatch's correspondence for one recipient, and where it stands: published, read, confirmed, purged.

    Its id is the id of the customer's letter it extends, which the API shows as `correspondenceId`.
    """

    correspondence = models.OneToOneField(
        Correspondence, on_delete=models.CASCADE, primary_key=True, related_name="dispatched_correspondence"
    )
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="correspondences")
    recipient = models.CharField(max_length=40, help_text="0192:{orgNumber} or the national identity number.")
    status = models.CharField(
        max_length=20, choices=DispatchedCorrespondenceStatus, default=DispatchedCorrespondenceStatus.INITIALIZED
    )
    status_text = models.CharField(max_length=500, blank=True)
    status_changed = models.DateTimeField(default=timezone.now)
    publish_at = models.DateTimeField()
    published_on = models.DateTimeField(null=True, blank=True)
    read_on = models.DateTimeField(null=True, blank=True)
    confirmed_on = models.DateTimeField(null=True, blank=True)
    purged_on = models.DateTimeField(null=True, blank=True)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)

    history = RecordHistory()

    class Meta:
        verbose_name = "dispatched correspondence"
        verbose_name_plural = "dispatched correspondence"
        ordering = ["-created_on", "recipient"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DispatchedCorrespondenceStatus.values),
                name="dispatched_correspondence_status_valid",
            )
        ]
        indexes = [
            models.Index(fields=["dispatch", "recipient"]),
            # The publishing sweep reads only these.
            models.Index(
                fields=["publish_at"], condition=Q(status="ReadyForPublish"), name="dispatched_awaiting_publish"
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.get_status_display()}"

    @property
    def is_purged(self) -> bool:
        return self.status in PURGED

    def change_status(self, status: str, now, text: str = "") -> "DispatchedCorrespondenceStatusEvent":
        """Move to `status` (the caller saves it) and return the unsaved history entry that records the step."""
        self.status, self.status_text, self.status_changed = status, text[:500], now
        event = DispatchedCorrespondenceStatusEvent(
            dispatched_correspondence=self, status=status, status_text=text[:500], changed_on=now
        )
        event.stamp_actor()
        return event


class DispatchedCorrespondenceStatusEvent(ActedBy):
    """One step of a dispatched correspondence's lifecycle, with when it happened and who or what took it."""

    dispatched_correspondence = models.ForeignKey(
        DispatchedCorrespondence, on_delete=models.CASCADE, related_name="status_events"
    )
    status = models.CharField(max_length=20, choices=DispatchedCorrespondenceStatus)
    status_text = models.CharField(max_length=500, blank=True)
    changed_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.get_status_display()} on {localize(timezone.localtime(self.changed_on))}"


class NotificationOrderStatus(models.TextChoices):
    """How creating the order went, as the Initialize answer reports it."""

    SUCCESS = "Success", "Created with the recipient's contact details"
    MISSING_CONTACT = "MissingContact", "The recipient had no email or phone for the channel"
    FAILURE = "Failure", "The recipient's contact details could not be used"


class NotificationState(models.TextChoices):
    """Where the order's message is: waiting, handed to the outbound channel, sent, or not sent and why."""

    PENDING = "Pending", "Waiting for publishing or its send time"
    QUEUED = "Queued", "Handed to the outbound channel"
    SENT = "Sent", "Sent"
    FAILED = "Failed", "The channel could not send it"
    CANCELLED = "Cancelled", "Cancelled"
    NOT_SENT = "NotSent", "Not sent: no usable contact details"


class NotificationOrder(ModeScopedModel):
    """A notification (or its reminder) to one recipient: created at Initialize, sent after publishing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispatched_correspondence = models.ForeignKey(
        DispatchedCorrespondence, on_delete=models.CASCADE, related_name="notification_orders"
    )
    is_reminder = models.BooleanField(default=False)
    channel = models.CharField(max_length=16, choices=NotificationChannel)
    status = models.CharField(max_length=16, choices=NotificationOrderStatus)
    email = models.CharField(max_length=254, blank=True, help_text="Where the email goes, if it goes by email.")
    phone = models.CharField(max_length=20, blank=True, help_text="Where the SMS goes (E.164), if it goes by SMS.")
    state = models.CharField(max_length=10, choices=NotificationState, default=NotificationState.PENDING)
    state_text = models.CharField(max_length=500, blank=True)
    state_changed = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(null=True, blank=True, help_text="Set when the correspondence is published.")
    message_ids = models.JSONField(default=list, blank=True, help_text="The outbound messages that carry it.")
    sent_on = models.DateTimeField(null=True, blank=True)
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["is_reminder", "created_on"]
        indexes = [
            # The sending sweep reads only these.
            models.Index(fields=["send_after"], condition=Q(state="Pending"), name="notification_order_due"),
        ]

    def __str__(self):
        kind = "Reminder" if self.is_reminder else "Notification"
        return f"{kind} by {self.get_channel_display()}: {self.get_state_display()}"
