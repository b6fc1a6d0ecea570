import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import ApiKey, Contact, ModeScopedModel


class LetterFont(models.TextChoices):
    # The standard PDF fonts: every reader has them, so nothing is embedded and rendering stays fast.
    HELVETICA = "Helvetica", "Helvetica (sans serif)"
    TIMES = "Times-Roman", "Times (serif)"


class CorrespondenceType(models.Model):
    """Which content sections a letter has and how it is laid out; staff define these in the admin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True, help_text="The name integrators send as correspondenceType.")
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Offered for new correspondence.")
    letterhead = models.TextField(
        blank=True, help_text="Sender lines printed at the top right of the first page, one per line."
    )
    return_address = models.CharField(
        max_length=200, blank=True, help_text="One small line above the recipient's address, inside the window."
    )
    show_address_block = models.BooleanField(
        default=True, help_text="Print the customer's postal address in the envelope window."
    )
    show_date = models.BooleanField(default=True, help_text="Print the correspondence date in the reference block.")
    closing = models.TextField(blank=True, help_text="Printed after the last section, e.g. 'Yours sincerely,'.")
    show_page_numbers = models.BooleanField(default=True, help_text="Print 'Page n of m' at the foot of every page.")
    font = models.CharField(max_length=20, choices=LetterFont, default=LetterFont.HELVETICA)
    font_size = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(8), MaxValueValidator(14)], help_text="Body text size in points."
    )
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CorrespondenceSection(models.Model):
    """One content section of a type: its key in `content`, the heading printed above it, its order."""

    correspondence_type = models.ForeignKey(CorrespondenceType, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=40, help_text="The name of this section in the API's content object.")
    heading = models.CharField(max_length=200, blank=True, help_text="Printed in bold above the text; may be blank.")
    required = models.BooleanField(default=False, help_text="Correspondence of this type must fill it.")
    bold = models.BooleanField(default=False, help_text="Print the text itself in bold, as for a subject line.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["correspondence_type", "key"], name="section_key_unique_per_type")
        ]

    def __str__(self):
        return self.key


class CorrespondenceStatus(models.TextChoices):
    READY = "ready", "Ready"
    EMAILED = "emailed", "Emailed"
    DELIVERED = "delivered", "Delivered"


class Correspondence(ModeScopedModel):
    """A letter to a customer: its content by section, the PDF rendered from it, and where it stands."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="correspondence")
    correspondence_type = models.ForeignKey(CorrespondenceType, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=32, help_text="Sequential per customer; assigned when left blank.")
    correspondence_date = models.DateField(default=timezone.localdate, db_index=True)
    content = models.JSONField(default=dict, blank=True, help_text="Text per section key of the type.")
    revision = models.PositiveIntegerField(default=1, help_text="Raised whenever what the PDF shows changes.")
    pdf = models.FileField(upload_to="correspondence/pdf/%Y/%m/", blank=True)
    pdf_revision = models.PositiveIntegerField(null=True, blank=True, help_text="The revision the PDF shows.")
    pdf_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    render_error = models.TextField(blank=True, help_text="Why the last rendering failed, if it did.")
    ready_on = models.DateTimeField(null=True, blank=True)
    emailed_on = models.DateTimeField(null=True, blank=True)
    delivered_on = models.DateTimeField(null=True, blank=True)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    updated_on = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "correspondence"
        ordering = ["-created_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "number"], name="correspondence_number_unique_per_customer")
        ]
        indexes = [
            models.Index(fields=["customer", "-created_on"]),
            # The sweep that re-renders letters without a current PDF reads only these.
            models.Index(fields=["updated_on"], condition=Q(ready_on__isnull=True), name="correspondence_awaiting_pdf"),
            # Behind the admin's status filter, newest first.
            models.Index(fields=["-created_on"], condition=Q(emailed_on__isnull=False), name="correspondence_emailed"),
            models.Index(
                fields=["-created_on"], condition=Q(delivered_on__isnull=False), name="correspondence_delivered"
            ),
            models.Index(
                fields=["-created_on"], condition=Q(delivered_on__isnull=True), name="correspondence_undelivered"
            ),
            # The insights read letters emailed or delivered over a period.
            models.Index(
                fields=["emailed_on"], condition=Q(emailed_on__isnull=False), name="correspondence_emailed_on"
            ),
            models.Index(
                fields=["delivered_on"], condition=Q(delivered_on__isnull=False), name="correspondence_delivered_on"
            ),
        ]
        permissions = [("email_correspondence", "Can email correspondence to customers")]

    def __str__(self):
        return f"{self.correspondence_type.name} {self.number} for {self.customer}"

    @property
    def status_names(self) -> list[str]:
        """The active statuses, in the order a letter gains them."""
        stamps = {
            CorrespondenceStatus.READY: self.ready_on,
            CorrespondenceStatus.EMAILED: self.emailed_on,
            CorrespondenceStatus.DELIVERED: self.delivered_on,
        }
        return [str(name) for name, stamp in stamps.items() if stamp is not None]

    @property
    def sent_status_names(self) -> list[str]:
        return [name for name in self.status_names if name != CorrespondenceStatus.READY]

    @property
    def has_current_pdf(self) -> bool:
        return bool(self.pdf) and self.pdf_revision == self.revision

    @property
    def is_sent(self) -> bool:
        return self.emailed_on is not None or self.delivered_on is not None

    @property
    def pdf_filename(self) -> str:
        return f"correspondence-{self.number}.pdf"


class CorrespondenceStatusChange(models.Model):
    """The dated history of the statuses: each time one became active or was cleared."""

    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=CorrespondenceStatus)
    active = models.BooleanField(help_text="True when the status was gained, False when it was cleared.")
    changed_on = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True, help_text="Who or what caused the change.")

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{'+' if self.active else '-'}{self.status} {self.changed_on:%Y-%m-%d %H:%M}"


class CorrespondenceAttachment(models.Model):
    """An extra document kept with a correspondence; the email action attaches it by name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    file = models.FileField(upload_to="correspondence/attachments/%Y/%m/")
    size = models.PositiveIntegerField(default=0)
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["correspondence", "name"], name="attachment_name_unique_per_correspondence")
        ]

    def __str__(self):
        return self.name


class CorrespondenceRecipient(models.Model):
    """A person at a customer who also receives the customer's correspondence by email."""

    customer = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="correspondence_recipients")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    receives_correspondence = models.BooleanField(
        default=True, help_text="Emailed correspondence goes to this address when no addresses are named."
    )
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "email"], name="recipient_email_unique_per_customer")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class EmailDeliveryResult(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Accepted by the SMTP server"
    FAILED = "failed", "Failed"


class EmailDelivery(models.Model):
    """One emailing of a correspondence to one address, and what became of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="email_deliveries")
    email = models.EmailField()
    attachment_names = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=64, blank=True, help_text="The outbound message that carries it.")
    result = models.CharField(
        max_length=10, choices=EmailDeliveryResult, default=EmailDeliveryResult.QUEUED, db_index=True
    )
    requested_on = models.DateTimeField(default=timezone.now)
    requested_by = models.CharField(max_length=200, blank=True)
    sent_on = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "email deliveries"
        ordering = ["-requested_on", "email"]
        indexes = [models.Index(fields=["-requested_on", "email"])]

    def __str__(self):
        return f"{self.email} ({self.get_result_display()})"


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


class DeliveryStatus(models.TextChoices):
    INITIALIZED = "Initialized", "Initialized"
    READY_FOR_PUBLISH = "ReadyForPublish", "Ready for publish"
    PUBLISHED = "Published", "Published"
    FAILED = "Failed", "Failed"
    READ = "Read", "Read"
    CONFIRMED = "Confirmed", "Confirmed"
    PURGED_BY_RECIPIENT = "PurgedByRecipient", "Purged by the recipient"
    PURGED_BY_ALTINN = "PurgedByAltinn", "Purged by the sender before publishing"


PURGED = (DeliveryStatus.PURGED_BY_RECIPIENT, DeliveryStatus.PURGED_BY_ALTINN)


class Delivery(ModeScopedModel):
    """A dispatch's correspondence for one recipient, and where it stands: published, read, confirmed, purged."""

    correspondence = models.OneToOneField(
        Correspondence, on_delete=models.CASCADE, primary_key=True, related_name="delivery"
    )
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(max_length=40, help_text="0192:{orgNumber} or the national identity number.")
    status = models.CharField(max_length=20, choices=DeliveryStatus, default=DeliveryStatus.INITIALIZED)
    status_text = models.CharField(max_length=500, blank=True)
    status_changed = models.DateTimeField(default=timezone.now)
    publish_at = models.DateTimeField()
    published_on = models.DateTimeField(null=True, blank=True)
    read_on = models.DateTimeField(null=True, blank=True)
    confirmed_on = models.DateTimeField(null=True, blank=True)
    purged_on = models.DateTimeField(null=True, blank=True)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_on", "recipient"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid")
        ]
        indexes = [
            models.Index(fields=["dispatch", "recipient"]),
            # The publishing sweep reads only these.
            models.Index(
                fields=["publish_at"], condition=Q(status="ReadyForPublish"), name="delivery_awaiting_publish"
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.status}"

    @property
    def is_purged(self) -> bool:
        return self.status in PURGED


class DeliveryStatusEvent(models.Model):
    """One step of a delivery's lifecycle, with when it happened."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(max_length=20, choices=DeliveryStatus)
    status_text = models.CharField(max_length=500, blank=True)
    changed_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.status} {self.changed_on:%Y-%m-%d %H:%M}"


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
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="notification_orders")
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
        return f"{'reminder' if self.is_reminder else 'notification'} {self.id}: {self.state}"
