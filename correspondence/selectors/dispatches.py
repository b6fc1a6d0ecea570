"""Reads of Altinn dispatches reused by the API, the admin and the commands."""

import uuid

from django.db.models import QuerySet

from accounts.models import ApiKey

from ..errors.dispatches import AttachmentNotFound, AttachmentNotPublished, CorrespondenceNotFound, FileHasBeenPurged
from ..models import AttachmentStatus, DispatchedCorrespondence, SharedAttachment


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


def dispatched_by(sender: ApiKey) -> QuerySet:
    """The correspondence the sender dispatched, in the sender's mode."""
    return DispatchedCorrespondence.objects.in_mode(sender.is_test).filter(dispatch__sender=sender)


def dispatched_correspondence(sender: ApiKey, identifier) -> DispatchedCorrespondence:
    """One of the sender's dispatched correspondences with what its overview and details show, else not found."""
    pk = _uuid(identifier)
    found = (
        dispatched_by(sender)
        .select_related("dispatch", "correspondence")
        .prefetch_related("dispatch__attachments", "notification_orders", "status_events")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if found is None:
        raise CorrespondenceNotFound(identifier)
    return found


def correspondence_ids_using(attachment: SharedAttachment) -> list:
    return list(DispatchedCorrespondence.objects.filter(dispatch__attachments=attachment).values_list("pk", flat=True))
