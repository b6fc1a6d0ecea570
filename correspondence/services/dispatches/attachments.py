"""Attachments shared by a dispatch's correspondence: declared, then uploaded once, checked as they stream."""

import hashlib
import logging

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.errors import MissingValue
from accounts.models import ApiKey

from ... import filetypes
from ...errors.dispatches import (
    AttachmentInUse,
    ChecksumMismatch,
    FileAlreadyUploaded,
    FileHasBeenPurged,
    FileTooLarge,
    FiletypeNotAllowed,
    InvalidFilename,
    InvalidFileSize,
)
from ...models import (
    PURGED,
    AttachmentStatus,
    DispatchedCorrespondence,
    SharedAttachment,
    SharedAttachmentStatusEvent,
)
from ..files import delete_files_after_commit

log = logging.getLogger(__name__)


def initialize_attachment(
    *,
    sender: ApiKey,
    file_name: str,
    senders_reference: str,
    display_name: str = "",
    checksum: str = "",
    is_encrypted: bool = False,
    resource_id: str = "",
) -> SharedAttachment:
    """Register a file to come: its name must be usable and of an allowed type before any byte is sent."""
    file_name = file_name.strip()
    if not file_name:
        raise MissingValue("fileName", "Filename is missing")
    if not filetypes.is_valid_name(file_name):
        raise InvalidFilename("Filename contains invalid characters", field="fileName")
    if not filetypes.is_allowed_name(file_name):
        allowed = ", ".join(f".{ext}" for ext in filetypes.allowed_extensions())
        raise FiletypeNotAllowed(f"Filetype not allowed; the accepted types are {allowed}", field="fileName")
    attachment = SharedAttachment.objects.create(
        sender=sender,
        is_test=sender.is_test,
        file_name=file_name,
        display_name=display_name.strip(),
        senders_reference=senders_reference,
        checksum=checksum.lower(),
        is_encrypted=is_encrypted,
        resource_id=resource_id,
    )
    SharedAttachmentStatusEvent.objects.create(
        attachment=attachment, status=attachment.status, changed_on=attachment.status_changed
    )
    log.info("attachment.initialized id=%s sender=%s", attachment.id, sender.id)
    return attachment


class MeteredUpload(File):
    """The request body as a File for the storage API: measured, hashed and capped while it streams through."""

    def __init__(self, stream, limit: int):
        super().__init__(stream)
        self.limit = limit
        self.received = 0
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.head = b""

    def chunks(self, chunk_size=None):
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        while data := self.file.read(chunk_size):
            self.received += len(data)
            if self.received > self.limit:
                raise FileTooLarge(size_message(), field="file")
            if len(self.head) < filetypes.SNIFF_BYTES:
                self.head += data[: filetypes.SNIFF_BYTES - len(self.head)]
            self.md5.update(data)
            yield data

    def multiple_chunks(self, chunk_size=None):
        return True


def size_message() -> str:
    return f"File must have content and has a max file size of {settings.CORRESPONDENCE_ATTACHMENT_MAX_BYTES} bytes"


def set_attachment_status(attachment: SharedAttachment, status: str, text: str = "", **fields) -> None:
    now = timezone.now()
    changes = {"status": status, "status_text": text[:500], "status_changed": now, **fields}
    SharedAttachment.objects.filter(pk=attachment.pk).update(**changes)
    SharedAttachmentStatusEvent.objects.create(
        attachment=attachment, status=status, status_text=text[:500], changed_on=now
    )
    for name, value in changes.items():
        setattr(attachment, name, value)


def _fail_upload(attachment: SharedAttachment, error: Exception, stored_name: str = "") -> None:
    if stored_name:
        default_storage.delete(stored_name)
    set_attachment_status(attachment, AttachmentStatus.FAILED, str(error), file="")
    log.info("attachment.failed id=%s reason=%s", attachment.id, error)
    raise error


def upload_attachment(attachment: SharedAttachment, stream, *, content_length: int | None) -> SharedAttachment:
    """Stream the bytes to storage once; a wrong size, type or checksum fails the attachment with the reason.
    `content_length` is None for a chunked upload, whose size is known only once it is read."""
    if stream is None or content_length == 0:
        raise InvalidFileSize(size_message(), field="file")
    # The claim: of two uploads at once, exactly one moves the attachment out of Initialized.
    claimed_on = timezone.now()
    claimed = SharedAttachment.objects.filter(pk=attachment.pk, status=AttachmentStatus.INITIALIZED).update(
        status=AttachmentStatus.UPLOAD_PROCESSING, status_text="", status_changed=claimed_on
    )
    if not claimed:
        attachment.refresh_from_db()
        if attachment.status == AttachmentStatus.PURGED:
            raise FileHasBeenPurged("File has already been purged")
        raise FileAlreadyUploaded("File has already been or is being uploaded")
    attachment.status = AttachmentStatus.UPLOAD_PROCESSING
    SharedAttachmentStatusEvent.objects.create(
        attachment=attachment, status=AttachmentStatus.UPLOAD_PROCESSING, changed_on=claimed_on
    )
    limit = settings.CORRESPONDENCE_ATTACHMENT_MAX_BYTES
    if content_length is not None and content_length > limit:
        _fail_upload(attachment, FileTooLarge(size_message(), field="file"))
    upload = MeteredUpload(stream, limit)
    target = f"{SharedAttachment.file.field.upload_to}{attachment.id}"
    try:
        stored_name = default_storage.save(target, upload)
    except FileTooLarge as error:
        # The storage wrote what came before the limit was crossed under the name it asked for.
        _fail_upload(attachment, error, target if default_storage.exists(target) else "")
    except OSError as error:
        # The sender's connection broke off: nothing is kept and the sender may upload again.
        if default_storage.exists(target):
            default_storage.delete(target)
        set_attachment_status(attachment, AttachmentStatus.INITIALIZED)
        log.warning("attachment.upload_interrupted id=%s error=%s", attachment.id, error)
        raise
    if upload.received == 0:
        # A chunked body that turned out empty: as an empty body with a length, the attachment keeps waiting.
        default_storage.delete(stored_name)
        set_attachment_status(attachment, AttachmentStatus.INITIALIZED)
        raise InvalidFileSize(size_message(), field="file")
    data_type, refusal = filetypes.data_type_for(attachment.file_name, upload.head)
    if refusal:
        _fail_upload(attachment, FiletypeNotAllowed(refusal, field="file"), stored_name)
    checksum = upload.md5.hexdigest()
    if attachment.checksum and attachment.checksum != checksum:
        _fail_upload(
            attachment,
            ChecksumMismatch(f"Checksum mismatch: the uploaded file's MD5 is {checksum}", field="checksum"),
            stored_name,
        )
    set_attachment_status(
        attachment,
        AttachmentStatus.PUBLISHED,
        file=stored_name,
        size=upload.received,
        data_type=data_type,
        checksum=checksum,
    )
    log.info("attachment.published id=%s bytes=%s type=%s", attachment.id, upload.received, data_type)
    return attachment


@transaction.atomic
def purge_attachment(attachment: SharedAttachment) -> SharedAttachment:
    """The sender deletes a shared attachment: its file goes, the record stays as Purged. Not while a
    correspondence that is not purged carries it."""
    attachment = SharedAttachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.status == AttachmentStatus.PURGED:
        raise FileHasBeenPurged("File has already been purged")
    carried = DispatchedCorrespondence.objects.exclude(status__in=PURGED).filter(dispatch__attachments=OuterRef("pk"))
    if SharedAttachment.objects.filter(pk=attachment.pk).filter(Exists(carried)).exists():
        raise AttachmentInUse("Attachment cannot be purged as it is linked to at least one existing correspondence")
    if attachment.file:
        delete_files_after_commit([attachment.file.name])
    set_attachment_status(attachment, AttachmentStatus.PURGED, "Purged by the sender", file="")
    log.info("attachment.purged id=%s by=sender", attachment.pk)
    return attachment
