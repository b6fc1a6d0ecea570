"""Reads of the initialize family, narrowed to what the calling sender may see."""

import uuid

from accounts.models import ApiKey

from .errors import AttachmentNotFound, AttachmentNotPublished, FileHasBeenPurged
from .models import AttachmentStatus, SharedAttachment


def _uuid(identifier) -> uuid.UUID | None:
    try:
        return identifier if isinstance(identifier, uuid.UUID) else uuid.UUID(str(identifier))
    except ValueError:
        return None


def shared_attachment(sender: ApiKey, identifier) -> SharedAttachment:
    """The sender's attachment with that id in the sender's mode; any other is not found."""
    pk = _uuid(identifier)
    attachment = SharedAttachment.objects.in_mode(sender.is_test).filter(pk=pk, sender=sender).first() if pk else None
    if attachment is None:
        raise AttachmentNotFound(identifier)
    return attachment


def published_file(attachment: SharedAttachment):
    """The stored bytes of a published attachment, opened for reading."""
    if attachment.status == AttachmentStatus.PURGED:
        raise FileHasBeenPurged("File has already been purged")
    if attachment.status != AttachmentStatus.PUBLISHED or not attachment.file:
        raise AttachmentNotPublished(f"Attachment is not published; its status is {attachment.status}")
    return attachment.file.open("rb")
