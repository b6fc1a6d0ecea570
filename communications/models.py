import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.history import RecordHistory
from accounts.models import ApiKey, Contact, Group, ModeScopedModel, ReferenceData


class Direction(models.TextChoices):
    INCOMING = "INCOMING", "Incoming"
    OUTGOING = "OUTGOING", "Outgoing"


class Media(models.TextChoices):
    EMAIL = "EMAIL", "Email"
    SMS = "SMS", "SMS"
    PHONE = "PHONE", "Phone"
    LETTER = "LETTER", "Letter"
    FACE_TO_FACE = "FACE_TO_FACE", "Face to face"


class CommunicationState(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    COMPLETED = "COMPLETED", "Completed"


class QueueState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    REJECTED = "REJECTED", "Rejected"
    COMPLETED = "COMPLETED", "Completed"
    COMPLETED_AND_REMOVED = "COMPLETED_AND_REMOVED", "Completed and removed"


class Category(ReferenceData):
    code = models.CharField(max_length=40, unique=True)
    description = models.TextField(blank=True)

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "categories"


class PrivacyLevel(ReferenceData):
    alternative_code = models.CharField(max_length=40, unique=True)
    description = models.TextField(blank=True)
    rank = models.PositiveIntegerField(default=0, help_text="Higher ranks are more restricted.")

    class Meta(ReferenceData.Meta):
        ordering = ["rank", "name"]


class QueueExternalSystem(ReferenceData):
    """A system outside the product (a CA mail system, an SMS platform) that picks communications up."""

    alternative_code = models.CharField(max_length=40, unique=True)
    description = models.TextField(blank=True)

    class Meta(ReferenceData.Meta):
        verbose_name = "queue external system"


class Template(models.Model):
    """Fills direction, media, subject and content of a communication; text may hold #placeholders."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.OUTGOING)
    media = models.CharField(max_length=12, choices=Media, default=Media.EMAIL)
    from_address = models.CharField(max_length=254, blank=True, help_text="Sender; blank for the default.")
    subject = models.CharField(max_length=500, blank=True)
    content = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True)

    history = RecordHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


UDF_STRING_FIELDS = tuple(f"udf_string_{n}" for n in range(1, 9))
UDF_FLOAT_FIELDS = tuple(f"udf_float_{n}" for n in range(1, 5))
UDF_DATE_FIELDS = tuple(f"udf_date_{n}" for n in range(1, 5))


class UserDefinedFields(models.Model):
    """CRM.COM's user-defined fields: eight strings, four floats, four dates."""

    udf_string_1 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_2 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_3 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_4 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_5 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_6 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_7 = models.CharField(max_length=255, null=True, blank=True)
    udf_string_8 = models.CharField(max_length=255, null=True, blank=True)
    udf_float_1 = models.FloatField(null=True, blank=True)
    udf_float_2 = models.FloatField(null=True, blank=True)
    udf_float_3 = models.FloatField(null=True, blank=True)
    udf_float_4 = models.FloatField(null=True, blank=True)
    udf_date_1 = models.DateTimeField(null=True, blank=True)
    udf_date_2 = models.DateTimeField(null=True, blank=True)
    udf_date_3 = models.DateTimeField(null=True, blank=True)
    udf_date_4 = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class SendingStatus(models.TextChoices):
    """Where a communication's outbound message stands: queued, sent, or failed for good."""

    QUEUED = "QUEUED", "Queued"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"


class Communication(ModeScopedModel, UserDefinedFields):
    """One message or contact moment with a customer, in either direction."""

    # An email's subject and addresses are headers, which a line break would end.
    single_line_fields = ("subject", "from_address", "to_address")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=32, unique=True)
    code = models.CharField(max_length=32, unique=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="communications")
    direction = models.CharField(max_length=10, choices=Direction)
    media = models.CharField(max_length=12, choices=Media)
    from_address = models.CharField(max_length=254, blank=True)
    to_address = models.CharField(max_length=1000, blank=True, help_text="Addresses or numbers, comma-separated.")
    subject = models.CharField(max_length=500, blank=True)
    content = models.TextField(blank=True)
    notes = models.TextField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=CommunicationState, default=CommunicationState.COMPLETED)
    completed_on = models.DateTimeField(null=True, blank=True)
    viewed_on = models.DateTimeField(null=True, blank=True)
    template = models.ForeignKey(Template, on_delete=models.SET_NULL, null=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True)
    queue_external_system = models.ForeignKey(QueueExternalSystem, on_delete=models.PROTECT, null=True, blank=True)
    privacy_level = models.ForeignKey(PrivacyLevel, on_delete=models.PROTECT, null=True, blank=True)
    owned_by_group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True)
    referring_to = models.JSONField(
        default=dict, blank=True, help_text="The identifiers of the entities it refers to, as given, per entity."
    )
    sending_status = models.CharField(max_length=10, choices=SendingStatus, blank=True)
    sending_error = models.TextField(blank=True)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    updated_on = models.DateTimeField(auto_now=True)
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_by_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # The outbound channel's word on sending is its own record (the outbound message), written without a save.
    # Who created and last changed it is the snapshot's own actor; CRM.COM's log information keeps them on the row.
    history = RecordHistory(
        excluded_fields=[
            "sending_status",
            "sending_error",
            "created_by_user",
            "updated_by_user",
            "created_by_key",
            "updated_by_key",
        ]
    )

    class Meta:
        ordering = ["-created_on"]
        # Each list filter of the admin, newest first, so a filtered page of a huge table is an index scan.
        indexes = [
            models.Index(fields=["contact", "-created_on"]),
            models.Index(fields=["category", "-created_on"]),
            models.Index(fields=["state", "-created_on"]),
            models.Index(fields=["media", "-created_on"]),
            models.Index(fields=["direction", "-created_on"]),
            models.Index(fields=["sending_status", "-created_on"]),
            # The insights read communications completed over a period.
            models.Index(
                fields=["completed_on"], condition=Q(completed_on__isnull=False), name="communication_completed"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CommunicationState.values), name="communication_state_valid"),
        ]

    def __str__(self):
        return self.number

    @property
    def viewed(self) -> bool:
        return self.viewed_on is not None


class ParameterType(models.TextChoices):
    STRING = "STRING", "String"
    FLOAT = "FLOAT", "Float"
    DATE = "DATE", "Date"
    INTEGER = "INTEGER", "Integer"


class UnrestrictedParameter(models.Model):
    """A named value a communication carries for its #unrestricted_<type>.<name> placeholders."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    communication = models.ForeignKey(Communication, on_delete=models.CASCADE, related_name="parameters")
    name = models.CharField(max_length=120)
    type = models.CharField(max_length=8, choices=ParameterType)
    string_value = models.TextField(null=True, blank=True)
    float_value = models.FloatField(null=True, blank=True)
    date_value = models.DateTimeField(null=True, blank=True)
    integer_value = models.BigIntegerField(null=True, blank=True)
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["communication", "type", "name"], name="one_parameter_per_key"),
        ]

    def __str__(self):
        return self.key

    @property
    def key(self) -> str:
        return f"unrestricted_{self.type.lower()}.{self.name}"

    @property
    def value(self):
        return getattr(self, f"{self.type.lower()}_value")


class QueueEntry(ModeScopedModel):
    """A completed communication waiting for an external system to pick it up."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=32, unique=True)
    communication = models.ForeignKey(Communication, on_delete=models.PROTECT, related_name="queue_entries")
    external_system = models.ForeignKey(QueueExternalSystem, on_delete=models.PROTECT, null=True, blank=True)
    state = models.CharField(max_length=24, choices=QueueState, default=QueueState.PENDING)
    error_code = models.CharField(max_length=40, null=True, blank=True)
    error_description = models.TextField(null=True, blank=True)
    created_on = models.DateTimeField(default=timezone.now)
    updated_on = models.DateTimeField(auto_now=True)
    processed_on = models.DateTimeField(null=True, blank=True, editable=False)
    rejected_on = models.DateTimeField(null=True, blank=True, editable=False)
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_by_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # Who created and last changed it is the snapshot's own actor.
    history = RecordHistory(excluded_fields=["created_by_user", "updated_by_user", "created_by_key", "updated_by_key"])

    class Meta:
        ordering = ["-created_on", "-number"]
        verbose_name = "queue entry"
        verbose_name_plural = "queue entries"
        indexes = [
            models.Index(fields=["state", "-created_on"]),
            models.Index(fields=["external_system", "-created_on"]),
            models.Index(fields=["-created_on", "-number"]),
            # get_latest walks only the entries still PENDING, in its order: with the indexes above it stepped
            # over every entry already processed, so draining a queue took time growing with its square.
            models.Index(
                fields=["is_test", "external_system", "-created_on", "-number"],
                condition=Q(state="PENDING"),
                name="queue_pending_by_system",
            ),
            models.Index(
                fields=["is_test", "-created_on", "-number"], condition=Q(state="PENDING"), name="queue_pending_latest"
            ),
            # The insights read entries processed or rejected over a period.
            models.Index(fields=["processed_on"], condition=Q(processed_on__isnull=False), name="queue_processed"),
            models.Index(fields=["rejected_on"], condition=Q(rejected_on__isnull=False), name="queue_rejected"),
        ]
        constraints = [models.CheckConstraint(condition=Q(state__in=QueueState.values), name="queue_state_valid")]
        permissions = [("process_queueentry", "Can process, reject and remove queue entries")]

    def __str__(self):
        return f"queue entry {self.number}"


class Channel(models.TextChoices):
    EMAIL = "EMAIL", "Email"
    SMS = "SMS", "SMS"


class OutboundStatus(models.TextChoices):
    QUEUED = "QUEUED", "Queued"
    SENDING = "SENDING", "Sending"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"


class OutboundMessage(ModeScopedModel):
    """One email or SMS on its way out; the database row is the queue, Celery only wakes a worker for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(max_length=5, choices=Channel)
    from_address = models.CharField(max_length=254, blank=True)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=OutboundStatus, default=OutboundStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_on = models.DateTimeField(null=True, blank=True, help_text="When a worker last took it.")
    handoff_started_on = models.DateTimeField(
        null=True, blank=True, help_text="Set just before the SMTP or gateway call, cleared on a known failure."
    )
    message_id = models.CharField(max_length=255, blank=True, db_index=True, help_text="The Message-ID header.")
    sent_to = models.JSONField(default=list, blank=True, help_text="Where it really went (a sink in test mode).")
    last_error = models.TextField(blank=True)
    sent_on = models.DateTimeField(null=True, blank=True)
    failed_on = models.DateTimeField(
        null=True, blank=True, help_text="When it last failed for good (it may have been sent again since)."
    )
    source_type = models.CharField(max_length=64, help_text='What it is for, e.g. "communications.communication".')
    source_id = models.CharField(max_length=64, blank=True)
    communication = models.ForeignKey(
        Communication, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound_messages"
    )
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    updated_on = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_on"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["status", "-created_on"]),
            models.Index(fields=["channel", "-created_on"]),
            # The insights read messages sent or failed over a period.
            models.Index(fields=["sent_on"], condition=Q(sent_on__isnull=False), name="outbound_sent"),
            models.Index(fields=["failed_on"], condition=Q(failed_on__isnull=False), name="outbound_failed"),
        ]
        constraints = [models.CheckConstraint(condition=Q(status__in=OutboundStatus.values), name="outbound_status")]

    def __str__(self):
        return f"{self.channel} to {', '.join(self.recipients)}"


class OutboundAttachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    content = models.BinaryField()

    class Meta:
        ordering = ["filename"]

    def __str__(self):
        return self.filename
