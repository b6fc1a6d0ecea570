"""Letters per customer (seed 000): their types and sections, the letters, their status history,
attachments, the people who also receive them, and each time one was emailed."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import localize

from accounts.history import ActedBy, RecordHistory
from accounts.models import Contact, ModeScopedModel


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

    history = RecordHistory()

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
    postscript = models.BooleanField(
        default=False, help_text="A postscript (P.S.): printed after the closing, not before it."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["correspondence_type", "key"], name="section_key_unique_per_type")
        ]

    def __str__(self):
        return self.key

    @property
    def label(self) -> str:
        """The section as staff name it: its heading, else its key in words."""
        return self.heading or self.key.replace("_", " ").replace("-", " ").capitalize()


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

    history = RecordHistory()

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


class CorrespondenceStatusChange(ActedBy):
    """The dated history of the statuses: each time one became active or was cleared, and who or what did it."""

    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=CorrespondenceStatus)
    active = models.BooleanField(help_text="True when the status was gained, False when it was cleared.")
    changed_on = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True, help_text="What happened, e.g. the PDF was rendered.")

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        verb = "became" if self.active else "no longer"
        return f"{verb} {self.get_status_display().lower()} on {localize(timezone.localtime(self.changed_on))}"


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

    history = RecordHistory()

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "email"], name="recipient_email_unique_per_customer")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class CorrespondenceEmailResult(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Accepted by the SMTP server"
    FAILED = "failed", "Failed"


class CorrespondenceEmail(ActedBy):
    """One emailing of a correspondence to one address, who asked for it, and what became of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField()
    attachment_names = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=64, blank=True, help_text="The outbound message that carries it.")
    result = models.CharField(
        max_length=10, choices=CorrespondenceEmailResult, default=CorrespondenceEmailResult.QUEUED, db_index=True
    )
    requested_on = models.DateTimeField(default=timezone.now)
    sent_on = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_on", "email"]
        indexes = [models.Index(fields=["-requested_on", "email"])]

    def __str__(self):
        return f"{self.email} ({self.get_result_display()})"
