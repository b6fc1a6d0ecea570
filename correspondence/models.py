import uuid

from django.db import models
from django.utils import timezone

from accounts.models import ApiKey, ModeScopedModel


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
