"""Reads reused by the API, the admin and the commands."""

import uuid
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.errors import InvalidValue
from accounts.models import ApiKey

from .errors import (
    AttachmentNotFound,
    AttachmentNotPublished,
    CorrespondenceNotFound,
    FileHasBeenPurged,
    PdfNotAvailable,
)
from .models import AttachmentStatus, Correspondence, CorrespondenceType, Delivery, Dispatch, SharedAttachment


def correspondence_in_mode(is_test: bool) -> QuerySet:
    return (
        Correspondence.objects.in_mode(is_test)
        .select_related("correspondence_type", "customer")
        .prefetch_related("attachments")
    )


def awaiting_pdf(*, idle_for: timedelta | None = None) -> QuerySet:
    """Correspondence of either mode without a current PDF.

    With `idle_for`, only that left alone so long and whose last rendering did not fail: a failure
    needs a look first (the admin shows it), then `render_pending_pdfs` tries again.
    """
    pending = Correspondence.objects.filter(ready_on__isnull=True)
    if idle_for is not None:
        pending = pending.filter(updated_on__lt=timezone.now() - idle_for, render_error="")
    return pending.order_by("updated_on")


def current_pdf(correspondence: Correspondence) -> bytes:
    """The rendered letter of the current revision, else PdfNotAvailable."""
    if not correspondence.has_current_pdf or correspondence.ready_on is None:
        raise PdfNotAvailable(correspondence)
    try:
        with correspondence.pdf.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        raise PdfNotAvailable(correspondence) from None


def type_named(name: str) -> CorrespondenceType:
    kind = CorrespondenceType.objects.filter(name__iexact=name.strip()).first()
    if kind is None:
        known = ", ".join(CorrespondenceType.objects.filter(is_active=True).values_list("name", flat=True))
        raise InvalidValue(
            f"No correspondence type is named {name!r}; the types are: {known or 'none yet'}.",
            field="correspondenceType",
        )
    return kind


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


def deliveries_of(sender: ApiKey) -> QuerySet:
    """The correspondence the sender dispatched, in the sender's mode."""
    return Delivery.objects.in_mode(sender.is_test).filter(dispatch__sender=sender)


def delivery(sender: ApiKey, identifier) -> Delivery:
    """One of the sender's dispatched correspondences with what its overview and details show, else not found."""
    pk = _uuid(identifier)
    found = (
        deliveries_of(sender)
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


def dispatched(dispatch: Dispatch) -> QuerySet:
    """A dispatch's correspondences with their notification orders, in the order of its recipients."""
    return dispatch.deliveries.prefetch_related("notification_orders").order_by("correspondence__created_on", "pk")


def correspondence_ids_using(attachment: SharedAttachment) -> list:
    return list(Delivery.objects.filter(dispatch__attachments=attachment).values_list("pk", flat=True))
