"""Writes on correspondence. The API, the admin, the commands and the tasks all call these."""

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accounts.errors import Conflict, DomainError, InvalidValue, MissingValue
from accounts.models import ApiKey, Contact, NumberSequence
from accounts.numbering import next_number
from communications.services import send_email, send_sms

from . import filetypes
from .errors import (
    AlreadyConfirmed,
    AlreadyPurged,
    AlreadyRead,
    AlreadySent,
    AttachmentNotPublished,
    AttachmentOfAnotherSender,
    ChecksumMismatch,
    DueDateBeforePublish,
    DueDateInPast,
    DueDateRequired,
    DuplicateIdempotentKey,
    DuplicateRecipients,
    EmailNotAccepted,
    ExistingAttachmentNotFound,
    FileAlreadyUploaded,
    FileHasBeenPurged,
    FileTooLarge,
    FiletypeNotAllowed,
    InvalidFilename,
    InvalidFileSize,
    MissingNotificationText,
    NoSuchAttachment,
    NotPublished,
    NotReady,
    PurgeBeforeConfirmed,
    TooManyAttachments,
    UnknownRecipients,
)
from .letters import letter_for, printed_date
from .models import (
    PURGED,
    AttachmentStatus,
    Correspondence,
    CorrespondenceAttachment,
    CorrespondenceSection,
    CorrespondenceStatus,
    CorrespondenceStatusChange,
    CorrespondenceType,
    Delivery,
    DeliveryStatus,
    DeliveryStatusEvent,
    Dispatch,
    EmailDelivery,
    EmailDeliveryResult,
    NotificationChannel,
    NotificationOrder,
    NotificationOrderStatus,
    NotificationState,
    NotificationTemplate,
    SharedAttachment,
)
from .pdf import render_letter
from .recipients import Recipient
from .selectors import current_pdf

log = logging.getLogger(__name__)

# A section longer than a short book is a mistake, and bounds how long one rendering can take.
MAX_SECTION_LENGTH = 100_000
STATUS_STAMPS = {
    CorrespondenceStatus.READY: "ready_on",
    CorrespondenceStatus.EMAILED: "emailed_on",
    CorrespondenceStatus.DELIVERED: "delivered_on",
}


@dataclass(frozen=True)
class NewAttachment:
    name: str
    content_type: str
    data: bytes


def validate_content(kind: CorrespondenceType, content) -> dict[str, str]:
    """The content as a type accepts it: known section keys with text, every required section filled."""
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise InvalidValue("content must be an object with the text of each section.", field="content")
    sections = {section.key: section for section in kind.sections.all()}
    cleaned = {}
    for key, text in content.items():
        if key not in sections:
            known = ", ".join(sections) or "none"
            message = f"{kind.name} has no section {key!r}; its sections are: {known}."
            raise InvalidValue(message, field=f"content.{key}")
        if text is None:
            continue
        if not isinstance(text, str):
            raise InvalidValue(f"content.{key} must be text.", field=f"content.{key}")
        if len(text) > MAX_SECTION_LENGTH:
            raise InvalidValue(f"content.{key} is longer than {MAX_SECTION_LENGTH} characters.", field=f"content.{key}")
        cleaned[key] = text
    for key, section in sections.items():
        if section.required and not cleaned.get(key, "").strip():
            raise MissingValue(f"content.{key}", f"{kind.name} needs the section content.{key}.")
    return cleaned


def _assign_number(customer: Contact) -> str:
    return next_number(
        f"correspondence:{customer.pk}",
        "",
        1,
        taken=lambda number: Correspondence.objects.filter(customer=customer, number=number).exists(),
    )


def _check_number_free(customer: Contact, number: str, exclude=None) -> None:
    taken = Correspondence.objects.filter(customer=customer, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise Conflict(f"The customer already has correspondence number {number}.", field="correspondenceNumber")


def _check_type(kind: CorrespondenceType) -> None:
    if not kind.is_active:
        raise InvalidValue(f"The correspondence type {kind.name} is no longer offered.", field="correspondenceType")


def _set_status(correspondence: Correspondence, status: str, active: bool, note: str) -> None:
    """Stamp or clear a status on the row (the caller saves it) and record the change in its history."""
    stamp = STATUS_STAMPS[status]
    if (getattr(correspondence, stamp) is not None) == active:
        return
    now = timezone.now()
    setattr(correspondence, stamp, now if active else None)
    CorrespondenceStatusChange.objects.create(
        correspondence=correspondence, status=status, active=active, changed_on=now, note=note[:300]
    )


def _store_attachments(correspondence: Correspondence, attachments) -> None:
    """Add each attachment; one with the name of an existing one replaces it."""
    for attachment in attachments:
        name = attachment.name.strip()
        if not name or "/" in name or "\\" in name:
            raise InvalidValue(f"{attachment.name!r} is not a usable attachment name.", field="attachments")
        previous = correspondence.attachments.filter(name=name).first()
        if previous is not None:
            _delete_files_after_commit([previous.file.name])
            previous.delete()
        record = CorrespondenceAttachment(
            correspondence=correspondence,
            name=name,
            content_type=attachment.content_type or "application/octet-stream",
            size=len(attachment.data),
        )
        record.file.save(name, ContentFile(attachment.data), save=False)
        record.save()


def _delete_files_after_commit(names) -> None:
    def delete():
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def create_correspondence(
    customer: Contact,
    *,
    correspondence_type: CorrespondenceType,
    content: dict | None = None,
    number: str = "",
    correspondence_date=None,
    attachments=(),
) -> Correspondence:
    _check_type(correspondence_type)
    content = validate_content(correspondence_type, content)
    number = (number or "").strip()
    if number:
        _check_number_free(customer, number)
    else:
        number = _assign_number(customer)
    correspondence = Correspondence.objects.create(
        customer=customer,
        is_test=customer.is_test,
        correspondence_type=correspondence_type,
        number=number,
        correspondence_date=correspondence_date or timezone.localdate(),
        content=content,
    )
    _store_attachments(correspondence, attachments)
    log.info("correspondence.created id=%s number=%s customer=%s", correspondence.id, number, customer.id)
    request_render(correspondence)
    return correspondence


@transaction.atomic
def update_correspondence(
    correspondence: Correspondence,
    *,
    correspondence_type: CorrespondenceType | None = None,
    content: dict | None = None,
    number: str | None = None,
    correspondence_date=None,
    attachments=(),
) -> Correspondence:
    """Apply the given changes; a change to what the letter prints raises its revision and renders it anew."""
    correspondence = Correspondence.objects.select_for_update().get(pk=correspondence.pk)
    changes = {}
    kind = correspondence.correspondence_type
    if correspondence_type is not None and correspondence_type.pk != kind.pk:
        _check_type(correspondence_type)
        kind = changes["correspondence_type"] = correspondence_type
    if content is not None or "correspondence_type" in changes:
        cleaned = validate_content(kind, correspondence.content if content is None else content)
        if cleaned != correspondence.content:
            changes["content"] = cleaned
    if number is not None:
        number = number.strip()
        if not number:
            raise InvalidValue("correspondenceNumber cannot be blank.", field="correspondenceNumber")
        if number != correspondence.number:
            _check_number_free(correspondence.customer, number, exclude=correspondence)
            changes["number"] = number
    if correspondence_date is not None and correspondence_date != correspondence.correspondence_date:
        changes["correspondence_date"] = correspondence_date
    if changes and correspondence.is_sent:
        raise AlreadySent(
            f"Correspondence {correspondence.id} has been {' and '.join(correspondence.sent_status_names)}; "
            "what it says can no longer change. Create new correspondence instead.",
            field=next(iter(changes)),
        )
    _store_attachments(correspondence, attachments)
    if changes:
        for field, value in changes.items():
            setattr(correspondence, field, value)
        correspondence.revision += 1
        _set_status(correspondence, CorrespondenceStatus.READY, False, "content changed")
        correspondence.save()
        log.info("correspondence.updated id=%s fields=%s", correspondence.id, ",".join(sorted(changes)))
        request_render(correspondence)
    return correspondence


@transaction.atomic
def render_again(correspondence: Correspondence, *, note: str = "render requested") -> Correspondence:
    """Render a letter anew (after its type's layout changed, say); a sent letter keeps the PDF that was sent."""
    correspondence = Correspondence.objects.select_for_update().get(pk=correspondence.pk)
    if correspondence.is_sent:
        raise AlreadySent(
            f"Correspondence {correspondence.id} has been {' and '.join(correspondence.sent_status_names)}; "
            "its PDF stays as it was sent."
        )
    correspondence.revision += 1
    _set_status(correspondence, CorrespondenceStatus.READY, False, note)
    correspondence.save(update_fields=["revision", "ready_on", "updated_on"])
    log.info("correspondence.render_requested id=%s revision=%s", correspondence.id, correspondence.revision)
    request_render(correspondence)
    return correspondence


@transaction.atomic
def delete_correspondence(correspondence: Correspondence) -> None:
    files = [correspondence.pdf.name, *(a.file.name for a in correspondence.attachments.all())]
    correspondence.delete()
    _delete_files_after_commit(files)
    log.info("correspondence.deleted id=%s", correspondence.pk)


def request_render(correspondence: Correspondence) -> None:
    """Hand the rendering to the `pdf` queue once the current transaction has committed."""
    transaction.on_commit(partial(dispatch_render, correspondence.pk, correspondence.revision))


def dispatch_render(correspondence_id, revision: int | None = None) -> None:
    from .tasks import render_correspondence_pdf

    try:
        render_correspondence_pdf.delay(str(correspondence_id), revision)
    except Exception as error:  # a broker that is down must not fail the request; the sweep sends it later
        log.warning("correspondence.render_dispatch_failed id=%s error=%s", correspondence_id, error)


def render_correspondence(correspondence_id, revision: int | None = None) -> Correspondence | None:
    """Render the PDF of the current revision and mark the correspondence ready; stale requests do nothing."""
    correspondence = (
        Correspondence.objects.select_related("correspondence_type", "customer").filter(pk=correspondence_id).first()
    )
    if correspondence is None:
        log.info("correspondence.render_skipped id=%s reason=deleted", correspondence_id)
        return None
    if revision is not None and revision != correspondence.revision:
        log.info("correspondence.render_skipped id=%s reason=stale revision=%s", correspondence_id, revision)
        return correspondence
    if correspondence.has_current_pdf and correspondence.ready_on is not None:
        return correspondence
    try:
        rendered = render_letter(letter_for(correspondence))
    except Exception as error:  # any failure is kept on the record for staff to see, not only in a worker log
        log.exception("correspondence.render_failed id=%s", correspondence.id)
        Correspondence.objects.filter(pk=correspondence.pk).update(render_error=f"{type(error).__name__}: {error}")
        raise
    with transaction.atomic():
        locked = Correspondence.objects.select_for_update().filter(pk=correspondence.pk).first()
        if locked is None or locked.revision != correspondence.revision:
            log.info("correspondence.render_skipped id=%s reason=changed_meanwhile", correspondence.id)
            return locked
        previous = locked.pdf.name
        locked.pdf.save(locked.pdf_filename, ContentFile(rendered.pdf), save=False)
        locked.pdf_revision = locked.revision
        locked.pdf_pages = rendered.pages
        locked.render_error = ""
        _set_status(locked, CorrespondenceStatus.READY, True, f"PDF of revision {locked.revision} rendered")
        locked.save(update_fields=["pdf", "pdf_revision", "pdf_pages", "render_error", "ready_on", "updated_on"])
        if previous and previous != locked.pdf.name:
            _delete_files_after_commit([previous])
    log.info(
        "correspondence.rendered id=%s revision=%s pages=%s bytes=%s",
        locked.id,
        locked.revision,
        rendered.pages,
        len(rendered.pdf),
    )
    return locked


@transaction.atomic
def mark_delivered(correspondence: Correspondence, *, note: str = "") -> Correspondence:
    """Record that the letter reached the customer. It must be ready; marking it again changes nothing."""
    correspondence = Correspondence.objects.select_for_update().get(pk=correspondence.pk)
    if correspondence.ready_on is None:
        raise NotReady(f"Correspondence {correspondence.id} is not ready yet; its PDF is still being rendered.")
    if correspondence.delivered_on is None:
        _set_status(correspondence, CorrespondenceStatus.DELIVERED, True, note or "marked delivered")
        correspondence.save(update_fields=["delivered_on", "updated_on"])
        log.info("correspondence.delivered id=%s", correspondence.id)
    return correspondence


# What the outbound messages of correspondence are marked with, so the channel's signals find their delivery.
EMAIL_SOURCE_TYPE = "correspondence.delivery"


def default_recipients(customer: Contact) -> list[str]:
    """The customer's own address, then its recipients marked to receive correspondence; each address once."""
    candidates = [
        customer.email,
        *customer.correspondence_recipients.filter(receives_correspondence=True).values_list("email", flat=True),
    ]
    seen, addresses = set(), []
    for address in candidates:
        if address and address.strip().lower() not in seen:
            seen.add(address.strip().lower())
            addresses.append(address.strip())
    return addresses


def _email_subject(correspondence: Correspondence) -> str:
    """The letter's subject line (its first bold section) when it has one, else its type and number."""
    for section in correspondence.correspondence_type.sections.all():
        text = (correspondence.content or {}).get(section.key, "").strip()
        if section.bold and text:
            return text.splitlines()[0][:200]
    return f"{correspondence.correspondence_type.name} {correspondence.number}"


def _email_body(correspondence: Correspondence) -> str:
    kind = correspondence.correspondence_type
    sender = next((line.strip() for line in kind.letterhead.splitlines() if line.strip()), "")
    lines = [
        f"Dear {correspondence.customer.full_name or 'customer'},",
        "",
        f"please find attached our letter of {printed_date(correspondence.correspondence_date)} "
        f"(our reference {correspondence.number}).",
    ]
    if sender:
        lines += ["", "Kind regards,", sender]
    return "\n".join(lines)


@transaction.atomic
def email_correspondence(
    correspondence: Correspondence,
    *,
    addresses: list[str] | None = None,
    attachment_names=(),
    requested_by: str = "",
) -> list[EmailDelivery]:
    """Queue one email per recipient with the PDF and the named attachments; `emailed` follows on SMTP acceptance.

    Without `addresses` it goes to the customer's address and its correspondence recipients.
    """
    correspondence = (
        Correspondence.objects.select_for_update()
        .select_related("customer", "correspondence_type")
        .get(pk=correspondence.pk)
    )
    if correspondence.ready_on is None:
        raise NotReady(f"Correspondence {correspondence.id} is not ready yet; its PDF is still being rendered.")
    pdf = current_pdf(correspondence)
    extras = []
    for name in attachment_names:
        attachment = correspondence.attachments.filter(name=name).first()
        if attachment is None:
            raise NoSuchAttachment(correspondence, name)
        with attachment.file.open("rb") as stored:
            extras.append((attachment.name, stored.read(), attachment.content_type))
    recipients = list(addresses) if addresses else default_recipients(correspondence.customer)
    if not recipients:
        raise MissingValue(
            "email", "The customer has no email address and no correspondence recipients; name the addresses in email."
        )
    files = [(correspondence.pdf_filename, pdf, "application/pdf"), *extras]
    subject, body = _email_subject(correspondence), _email_body(correspondence)
    deliveries = []
    for address in recipients:
        delivery = EmailDelivery.objects.create(
            correspondence=correspondence,
            email=address,
            attachment_names=[correspondence.pdf_filename, *(name for name, _, _ in extras)],
            requested_by=requested_by[:200],
        )
        try:
            # One message per recipient: nobody sees who else got the letter, and each result is their own.
            message = send_email(
                to=[address],
                subject=subject,
                body=body,
                attachments=files,
                is_test=correspondence.is_test,
                source_type=EMAIL_SOURCE_TYPE,
                source_id=str(delivery.id),
            )
        except DomainError as error:
            raise InvalidValue(error.message, field="email") from None
        except Exception as error:  # the channel could not take it: nothing of this request is kept
            log.exception("correspondence.email_not_accepted id=%s", correspondence.id)
            raise EmailNotAccepted(f"The email could not be queued for sending: {error}") from None
        delivery.message_id = str(message.id)
        delivery.save(update_fields=["message_id"])
        deliveries.append(delivery)
    log.info(
        "correspondence.email_queued id=%s deliveries=%s recipients=%d",
        correspondence.id,
        ",".join(str(d.id) for d in deliveries),
        len(deliveries),
    )
    return deliveries


@transaction.atomic
def record_email_sent(delivery_id, *, sent_on=None) -> EmailDelivery | None:
    """The SMTP server accepted the message of a delivery: the delivery is sent, the correspondence emailed."""
    delivery = EmailDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None:
        return None
    delivery.result = EmailDeliveryResult.SENT
    delivery.sent_on = sent_on or timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["result", "sent_on", "error"])
    correspondence = Correspondence.objects.select_for_update().get(pk=delivery.correspondence_id)
    if correspondence.emailed_on is None:
        _set_status(
            correspondence, CorrespondenceStatus.EMAILED, True, f"accepted by the mail server for {delivery.email}"
        )
        correspondence.save(update_fields=["emailed_on", "updated_on"])
    log.info("correspondence.emailed id=%s delivery=%s", correspondence.id, delivery.id)
    return delivery


@transaction.atomic
def record_email_failed(delivery_id, *, error: str) -> EmailDelivery | None:
    delivery = EmailDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None:
        return None
    delivery.result = EmailDeliveryResult.FAILED
    delivery.error = error
    delivery.save(update_fields=["result", "error"])
    log.warning("correspondence.email_failed id=%s delivery=%s", delivery.correspondence_id, delivery.id)
    return delivery


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


def _set_attachment_status(attachment: SharedAttachment, status: str, text: str = "", **fields) -> None:
    now = timezone.now()
    changes = {"status": status, "status_text": text[:500], "status_changed": now, **fields}
    SharedAttachment.objects.filter(pk=attachment.pk).update(**changes)
    for name, value in changes.items():
        setattr(attachment, name, value)


def _fail_upload(attachment: SharedAttachment, error: Exception, stored_name: str = "") -> None:
    if stored_name:
        default_storage.delete(stored_name)
    _set_attachment_status(attachment, AttachmentStatus.FAILED, str(error), file="")
    log.info("attachment.failed id=%s reason=%s", attachment.id, error)
    raise error


def upload_attachment(attachment: SharedAttachment, stream, *, content_length: int | None) -> SharedAttachment:
    """Stream the bytes to storage once; a wrong size, type or checksum fails the attachment with the reason."""
    if not content_length or stream is None:
        raise InvalidFileSize(size_message(), field="file")
    # The claim: of two uploads at once, exactly one moves the attachment out of Initialized.
    claimed = SharedAttachment.objects.filter(pk=attachment.pk, status=AttachmentStatus.INITIALIZED).update(
        status=AttachmentStatus.UPLOAD_PROCESSING, status_text="", status_changed=timezone.now()
    )
    if not claimed:
        attachment.refresh_from_db()
        if attachment.status == AttachmentStatus.PURGED:
            raise FileHasBeenPurged("File has already been purged")
        raise FileAlreadyUploaded("File has already been or is being uploaded")
    attachment.status = AttachmentStatus.UPLOAD_PROCESSING
    limit = settings.CORRESPONDENCE_ATTACHMENT_MAX_BYTES
    if content_length > limit:
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
        _set_attachment_status(attachment, AttachmentStatus.INITIALIZED)
        log.warning("attachment.upload_interrupted id=%s error=%s", attachment.id, error)
        raise
    if upload.received == 0:
        _fail_upload(attachment, InvalidFileSize(size_message(), field="file"), stored_name)
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
    _set_attachment_status(
        attachment,
        AttachmentStatus.PUBLISHED,
        file=stored_name,
        size=upload.received,
        data_type=data_type,
        checksum=checksum,
    )
    log.info("attachment.published id=%s bytes=%s type=%s", attachment.id, upload.received, data_type)
    return attachment


# --- Dispatches: one message to many recipients, each their own correspondence ---------------------------------------

DIGITAL_MESSAGE_TYPE = "Digital message"
# The sections of the letter a dispatch's correspondence prints, from the message's parts.
DIGITAL_MESSAGE_SECTIONS = [("title", "", True, True), ("summary", "", False, False), ("body", "", True, False)]
MAX_RECIPIENTS = 500
MAX_ATTACHMENTS = 100
# A publish time further away than this is left to the sweep: Celery's Redis transport redelivers
# tasks held longer than its visibility timeout (one hour), and the sweep needs no broker memory.
ETA_HORIZON = timedelta(minutes=50)
GENERIC_TEXTS = {
    "en": ("New message: {title}", "You have received a new message.\n\n{title}\n{summary}", "New message: {title}"),
    "nb": ("Ny melding: {title}", "Du har mottatt en ny melding.\n\n{title}\n{summary}", "Ny melding: {title}"),
    "nn": ("Ny melding: {title}", "Du har fått ei ny melding.\n\n{title}\n{summary}", "Ny melding: {title}"),
}
REMINDER_PREFIX = {"en": "Reminder: ", "nb": "Påminnelse: ", "nn": "Påminning: "}


@dataclass(frozen=True)
class MessageContent:
    language: str
    title: str
    body: str
    summary: str = ""


@dataclass(frozen=True)
class NotificationRequest:
    template: str
    channel: str = NotificationChannel.EMAIL
    email_subject: str = ""
    email_body: str = ""
    sms_body: str = ""
    send_reminder: bool = False
    reminder_channel: str = ""
    reminder_email_subject: str = ""
    reminder_email_body: str = ""
    reminder_sms_body: str = ""


@dataclass(frozen=True)
class Initialized:
    """What an Initialize created: the dispatch, and for each recipient in order its delivery and orders."""

    dispatch: Dispatch
    deliveries: list[tuple[Delivery, list[NotificationOrder]]]
    attachments: list[SharedAttachment]


@transaction.atomic
def digital_message_type() -> CorrespondenceType:
    """The letter type a dispatch's correspondence is filed under, created with its sections on first use.

    Type and sections commit together, so a concurrent first dispatch waits for both rather than
    seeing a type without sections.
    """
    kind, created = CorrespondenceType.objects.get_or_create(
        name=DIGITAL_MESSAGE_TYPE,
        defaults={"description": "Messages sent to many recipients through /correspondence/api/v1/."},
    )
    if created:
        CorrespondenceSection.objects.bulk_create(
            CorrespondenceSection(
                correspondence_type=kind, key=key, heading=heading, required=required, bold=bold, position=position
            )
            for position, (key, heading, required, bold) in enumerate(DIGITAL_MESSAGE_SECTIONS, start=1)
        )
    return kind


def _assign_numbers(customer_ids: list) -> list[str]:
    """The next correspondence number of each customer, in order (a customer named twice gets two), never reused."""
    wanted = Counter(customer_ids)
    series = {pk: f"correspondence:{pk}" for pk in wanted}
    NumberSequence.objects.bulk_create([NumberSequence(name=name) for name in series.values()], ignore_conflicts=True)
    # Locked in one order, so two dispatches to overlapping customers queue instead of deadlocking.
    last = dict(
        NumberSequence.objects.select_for_update()
        .filter(name__in=series.values())
        .order_by("name")
        .values_list("name", "last_value")
    )
    taken = set(Correspondence.objects.filter(customer_id__in=wanted).values_list("customer_id", "number"))
    numbers, used = {}, Counter()
    for pk, count in wanted.items():
        value, free = last[series[pk]], []
        while len(free) < count:
            value += 1
            if (pk, str(value)) not in taken:
                free.append(str(value))
        numbers[pk], used[series[pk]] = iter(free), value - last[series[pk]]
    # One UPDATE per distinct step (almost always one: every customer moves on by one).
    for step in set(used.values()):
        names = [name for name, moved in used.items() if moved == step]
        NumberSequence.objects.filter(name__in=names).update(last_value=F("last_value") + step)
    return [next(numbers[pk]) for pk in customer_ids]


def _match_customers(recipients: list[Recipient], is_test: bool) -> list[Contact]:
    """The customer of each recipient, by organisation or national identity number; the oldest when several match."""
    contacts = Contact.objects.in_mode(is_test).order_by("-created_on")
    by_org = {
        c.org_number: c for c in contacts.filter(org_number__in=[r.number for r in recipients if r.is_organisation])
    }
    by_id = {
        c.id_number: c for c in contacts.filter(id_number__in=[r.number for r in recipients if not r.is_organisation])
    }
    customers = [(by_org if r.is_organisation else by_id).get(r.number) for r in recipients]
    unknown = [r.display for r, customer in zip(recipients, customers, strict=True) if customer is None]
    if unknown:
        raise UnknownRecipients(unknown)
    return customers


def _shared_attachments(sender: ApiKey, identifiers: list) -> list[SharedAttachment]:
    if len(identifiers) > MAX_ATTACHMENTS:
        raise TooManyAttachments(
            f"A correspondence cannot contain more than {MAX_ATTACHMENTS} attachments in total",
            field="existingAttachments",
        )
    found = {a.pk: a for a in SharedAttachment.objects.in_mode(sender.is_test).filter(pk__in=identifiers)}
    attachments = []
    for identifier in dict.fromkeys(identifiers):
        attachment = found.get(identifier)
        if attachment is None:
            raise ExistingAttachmentNotFound(
                f"Existing attachment not found: {identifier}", field="existingAttachments"
            )
        if attachment.sender_id != sender.pk:
            raise AttachmentOfAnotherSender(
                f"The sender of the correspondence must be equal the sender of existing attachments: {identifier}",
                field="existingAttachments",
            )
        if attachment.status != AttachmentStatus.PUBLISHED:
            raise AttachmentNotPublished(
                f"Attachment is not published: {identifier} is {attachment.status}", field="existingAttachments"
            )
        attachments.append(attachment)
    return attachments


def _check_schedule(publish_at, due_date_time, is_confirmation_needed: bool, now) -> None:
    if due_date_time is None:
        if is_confirmation_needed:
            raise DueDateRequired("DueDateTime is required when confirmation is needed", field="dueDateTime")
        return
    if due_date_time < now:
        raise DueDateInPast("DueDateTime cannot be prior to today", field="dueDateTime")
    if due_date_time < publish_at:
        raise DueDateBeforePublish("DueDateTime cannot be prior to RequestedPublishTime", field="dueDateTime")


def _check_notification_texts(notification: NotificationRequest) -> None:
    """A custom message needs the texts of the channels it may use (Altinn's 3002–3007)."""
    if notification.template != NotificationTemplate.CUSTOM_MESSAGE:
        return
    needs = {
        NotificationChannel.EMAIL: ("email",),
        NotificationChannel.SMS: ("sms",),
        NotificationChannel.EMAIL_PREFERRED: ("email", "sms"),
        NotificationChannel.SMS_PREFERRED: ("email", "sms"),
        NotificationChannel.EMAIL_AND_SMS: ("email", "sms"),
    }
    checks = [("", notification.channel, False)]
    if notification.send_reminder:
        checks.append(("reminder", notification.reminder_channel or notification.channel, True))
    for prefix, channel, is_reminder in checks:
        texts = _texts(notification, is_reminder)
        email_missing = not (texts["email_subject"].strip() and texts["email_body"].strip())
        sms_missing = not texts["sms_body"].strip()
        kinds = needs[channel]
        words = "Reminder email body" if is_reminder else "Email body"
        if kinds == ("email", "sms") and (email_missing or sms_missing):
            kind = "reminder preferred" if is_reminder else "preferred"
            raise MissingNotificationText(
                f"{words}, subject and SMS body must be provided when sending {kind} notifications",
                error_code=3007 if is_reminder else 3006,
                field=f"correspondence.notification.{_camel(prefix, 'emailBody')}",
            )
        if kinds == ("email",) and email_missing:
            kind = "reminder email" if is_reminder else "email"
            raise MissingNotificationText(
                f"{words} and subject must be provided when sending {kind} notifications",
                error_code=3003 if is_reminder else 3002,
                field=f"correspondence.notification.{_camel(prefix, 'emailBody')}",
            )
        if kinds == ("sms",) and sms_missing:
            kind = "reminder SMS" if is_reminder else "SMS"
            raise MissingNotificationText(
                f"{'Reminder SMS' if is_reminder else 'SMS'} body must be provided when sending {kind} notifications",
                error_code=3005 if is_reminder else 3004,
                field=f"correspondence.notification.{_camel(prefix, 'smsBody')}",
            )


def _camel(prefix: str, name: str) -> str:
    return f"{prefix}{name[0].upper()}{name[1:]}" if prefix else name


def _texts(notification: NotificationRequest | Dispatch, is_reminder: bool) -> dict[str, str]:
    names = ("email_subject", "email_body", "sms_body")
    return {name: getattr(notification, f"reminder_{name}" if is_reminder else name) or "" for name in names}


def _phone_e164(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, settings.CORRESPONDENCE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email_valid(raw: str) -> bool:
    try:
        validate_email(raw)
    except ValidationError:
        return False
    return True


MISSING_DETAILS = {NotificationChannel.EMAIL: "email address", NotificationChannel.SMS: "phone number"}


def _channels_to_use(channel: str, *, has_email: bool, has_phone: bool) -> tuple[bool, bool]:
    """(by email, by SMS) for a channel, given which details the recipient has."""
    if channel == NotificationChannel.EMAIL:
        return has_email, False
    if channel == NotificationChannel.SMS:
        return False, has_phone
    if channel == NotificationChannel.EMAIL_PREFERRED:
        return has_email, has_phone and not has_email
    if channel == NotificationChannel.SMS_PREFERRED:
        return has_email and not has_phone, has_phone
    return has_email, has_phone


def _notification_order(delivery: Delivery, customer: Contact, channel: str, is_reminder: bool) -> NotificationOrder:
    """The order for one recipient: where it will go, or why it cannot, decided from the customer's details now."""
    email, phone = customer.email.strip(), customer.phone.strip()
    by_email, by_sms = _channels_to_use(channel, has_email=bool(email), has_phone=bool(phone))
    order = NotificationOrder(delivery=delivery, is_test=delivery.is_test, is_reminder=is_reminder, channel=channel)
    if not (by_email or by_sms):
        order.status, order.state = NotificationOrderStatus.MISSING_CONTACT, NotificationState.NOT_SENT
        order.state_text = f"The recipient has no {MISSING_DETAILS.get(channel, 'email address or phone number')}"
        return order
    phone_e164 = _phone_e164(phone) if by_sms else None
    unusable = []
    if by_email and not _email_valid(email):
        unusable.append(f"email address {email!r}")
    if by_sms and phone_e164 is None:
        unusable.append(f"phone number {phone!r}")
    if unusable:
        order.status, order.state = NotificationOrderStatus.FAILURE, NotificationState.NOT_SENT
        order.state_text = f"The recipient's {' and '.join(unusable)} cannot be used"
        return order
    order.status = NotificationOrderStatus.SUCCESS
    order.email, order.phone = (email if by_email else ""), (phone_e164 or "")
    order.state_text = "Waiting for the correspondence to be published"
    return order


def _new_status(delivery: Delivery, status: str, now, text: str = "") -> DeliveryStatusEvent:
    """Move the delivery (the caller saves it) and return the history entry that records the step."""
    delivery.status, delivery.status_text, delivery.status_changed = status, text[:500], now
    return DeliveryStatusEvent(delivery=delivery, status=status, status_text=text[:500], changed_on=now)


def initialize_dispatch(
    *,
    sender: ApiKey,
    recipients: list[Recipient],
    content: MessageContent,
    senders_reference: str,
    requested_publish_time=None,
    due_date_time=None,
    is_confirmation_needed: bool = False,
    notification: NotificationRequest | None = None,
    existing_attachments=(),
    idempotent_key=None,
    resource_id: str = "",
    message_sender: str = "",
) -> Initialized:
    """Create one correspondence per recipient, all ready to publish at the requested time, or refuse them all."""
    now = timezone.now()
    if not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise InvalidValue(f"A dispatch has 1 to {MAX_RECIPIENTS} recipients.", field="recipients")
    repeated = [recipient.display for recipient, count in Counter(recipients).items() if count > 1]
    if repeated:
        raise DuplicateRecipients(f"Recipients must be unique: {', '.join(repeated)}", field="recipients")
    publish_at = requested_publish_time or now
    _check_schedule(publish_at, due_date_time, is_confirmation_needed, now)
    if notification is not None:
        _check_notification_texts(notification)
    attachments = _shared_attachments(sender, list(existing_attachments))
    if idempotent_key and Dispatch.objects.filter(sender=sender, idempotent_key=idempotent_key).exists():
        raise DuplicateIdempotentKey("A correspondence with the same idempotent key already exists")
    customers = _match_customers(recipients, sender.is_test)
    kind = digital_message_type()
    sections = {"title": content.title, "summary": content.summary, "body": content.body}
    letter_content = validate_content(kind, {key: sections[key] for key in kind.sections.values_list("key", flat=True)})
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                sender=sender,
                is_test=sender.is_test,
                idempotent_key=idempotent_key,
                resource_id=resource_id,
                senders_reference=senders_reference,
                message_sender=message_sender,
                language=content.language,
                message_title=content.title,
                message_summary=content.summary,
                message_body=content.body,
                requested_publish_time=requested_publish_time,
                publish_at=publish_at,
                due_date_time=due_date_time,
                is_confirmation_needed=is_confirmation_needed,
                **_notification_fields(notification),
            )
            dispatch.attachments.set(attachments)
            numbers = _assign_numbers([customer.pk for customer in customers])
            letters = Correspondence.objects.bulk_create(
                Correspondence(
                    customer=customer,
                    is_test=sender.is_test,
                    correspondence_type=kind,
                    number=number,
                    correspondence_date=timezone.localdate(now),
                    content=letter_content,
                )
                for customer, number in zip(customers, numbers, strict=True)
            )
            deliveries, events, orders, created = [], [], [], []
            for letter, recipient, customer in zip(letters, recipients, customers, strict=True):
                delivery = Delivery(
                    correspondence=letter,
                    dispatch=dispatch,
                    is_test=sender.is_test,
                    recipient=recipient.display,
                    publish_at=publish_at,
                    created_on=now,
                )
                events.append(_new_status(delivery, DeliveryStatus.INITIALIZED, now))
                # Every attachment is already published, so nothing holds the correspondence back.
                events.append(_new_status(delivery, DeliveryStatus.READY_FOR_PUBLISH, now))
                deliveries.append(delivery)
                own = []
                if notification is not None:
                    own.append(_notification_order(delivery, customer, notification.channel, False))
                    if notification.send_reminder:
                        channel = notification.reminder_channel or notification.channel
                        own.append(_notification_order(delivery, customer, channel, True))
                orders += own
                created.append((delivery, own))
            Delivery.objects.bulk_create(deliveries)
            DeliveryStatusEvent.objects.bulk_create(events)
            NotificationOrder.objects.bulk_create(orders)
    except IntegrityError:
        if idempotent_key and Dispatch.objects.filter(sender=sender, idempotent_key=idempotent_key).exists():
            raise DuplicateIdempotentKey("A correspondence with the same idempotent key already exists") from None
        raise
    transaction.on_commit(partial(dispatch_renders, [letter.pk for letter in letters]))
    transaction.on_commit(partial(schedule_publishing, dispatch.pk, publish_at))
    log.info(
        "dispatch.initialized id=%s sender=%s recipients=%d publish_at=%s test=%s",
        dispatch.pk,
        sender.pk,
        len(deliveries),
        publish_at.isoformat(),
        dispatch.is_test,
    )
    return Initialized(dispatch, created, attachments)


def _notification_fields(notification: NotificationRequest | None) -> dict:
    if notification is None:
        return {}
    return {
        "notification_template": notification.template,
        "notification_channel": notification.channel,
        "email_subject": notification.email_subject,
        "email_body": notification.email_body,
        "sms_body": notification.sms_body,
        "send_reminder": notification.send_reminder,
        "reminder_channel": (notification.reminder_channel or notification.channel)
        if notification.send_reminder
        else "",
        "reminder_email_subject": notification.reminder_email_subject,
        "reminder_email_body": notification.reminder_email_body,
        "reminder_sms_body": notification.reminder_sms_body,
    }


RENDER_CHUNK = 100


def dispatch_renders(correspondence_ids: list) -> None:
    """Hand a dispatch's letters to the `pdf` queue in chunks: one message per hundred, not one per letter."""
    from .tasks import render_correspondence_pdfs

    for start in range(0, len(correspondence_ids), RENDER_CHUNK):
        chunk = [str(pk) for pk in correspondence_ids[start : start + RENDER_CHUNK]]
        try:
            render_correspondence_pdfs.delay(chunk)
        except Exception as error:  # the letters' own sweep renders what no task was sent for
            log.warning("correspondence.render_dispatch_failed ids=%d error=%s", len(chunk), error)


def schedule_publishing(dispatch_id, publish_at) -> None:
    """Wake a worker at the publish time; a broker that is down, or a time far away, is left to the sweep."""
    from .tasks import publish_dispatch

    wait = publish_at - timezone.now()
    # In-process tasks cannot wait: a later time is left to the sweep (beat, or `manage.py publish_due`).
    if wait > ETA_HORIZON or (wait.total_seconds() > 0 and settings.CELERY_TASK_ALWAYS_EAGER):
        return
    try:
        publish_dispatch.apply_async(args=[str(dispatch_id)], eta=publish_at if wait.total_seconds() > 0 else None)
    except Exception as error:  # the sweep publishes what no task was sent for
        log.warning("dispatch.schedule_failed id=%s error=%s", dispatch_id, error)


PUBLISH_BATCH = 500
NOTIFY_BATCH = 100


def publish_due_deliveries(*, dispatch_id=None) -> int:
    """Publish every delivery whose time has come, a batch per transaction; returns how many were decided.

    Each batch is claimed with SELECT … FOR UPDATE SKIP LOCKED and decided in one transaction, so a
    worker that dies leaves its batch untouched for the next, and two workers never take the same one.
    """
    decided = 0
    while batch := _publish_batch(dispatch_id):
        decided += batch
        if batch < PUBLISH_BATCH:
            break
    return decided


def _publish_batch(dispatch_id) -> int:
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=DeliveryStatus.READY_FOR_PUBLISH, publish_at__lte=now
        )
        if dispatch_id is not None:
            due = due.filter(dispatch_id=dispatch_id)
        deliveries = list(due.order_by("publish_at")[:PUBLISH_BATCH])
        if not deliveries:
            return 0
        unpublished = _unpublished_attachments({delivery.dispatch_id for delivery in deliveries})
        events, published, failed = [], [], []
        for delivery in deliveries:
            names = unpublished.get(delivery.dispatch_id)
            if names:
                events.append(_new_status(delivery, DeliveryStatus.FAILED, now, f"Attachments not published: {names}"))
                failed.append(delivery)
            else:
                delivery.published_on = now
                events.append(_new_status(delivery, DeliveryStatus.PUBLISHED, now))
                published.append(delivery)
        Delivery.objects.bulk_update(deliveries, ["status", "status_text", "status_changed", "published_on"])
        DeliveryStatusEvent.objects.bulk_create(events)
        pending = NotificationOrder.objects.filter(state=NotificationState.PENDING)
        pending.filter(delivery__in=published, is_reminder=False).update(
            send_after=now, state_text="Due: the correspondence is published", state_changed=now
        )
        remind_at = now + timedelta(seconds=settings.CORRESPONDENCE_REMINDER_DELAY_SECONDS)
        pending.filter(delivery__in=published, is_reminder=True).update(
            send_after=remind_at,
            state_text=f"Due at {remind_at.isoformat()} if the correspondence is still unread",
            state_changed=now,
        )
        pending.filter(delivery__in=failed).update(
            state=NotificationState.CANCELLED,
            state_text="Cancelled: the correspondence failed before it was published",
            state_changed=now,
        )
        transaction.on_commit(dispatch_notifications)
    for delivery in deliveries:
        log.info("delivery.%s id=%s dispatch=%s", delivery.status.lower(), delivery.pk, delivery.dispatch_id)
    return len(deliveries)


def _unpublished_attachments(dispatch_ids) -> dict:
    """For each dispatch with an attachment that is not (or no longer) published, the names of those."""
    through = Dispatch.attachments.through.objects.filter(dispatch_id__in=dispatch_ids).exclude(
        sharedattachment__status=AttachmentStatus.PUBLISHED
    )
    found: dict = {}
    for dispatch_id, name in through.values_list("dispatch_id", "sharedattachment__file_name"):
        found[dispatch_id] = f"{found[dispatch_id]}, {name}" if dispatch_id in found else name
    return found


def dispatch_notifications() -> None:
    from .tasks import send_notifications

    try:
        send_notifications.delay()
    except Exception as error:  # the sweep sends what no task was sent for
        log.warning("notifications.dispatch_failed error=%s", error)


NOTIFICATION_SOURCE = "correspondence.notification"


def send_due_notifications() -> int:
    """Hand every due notification to the outbound channel, exactly once, a batch per transaction."""
    handed = 0
    while batch := _notification_batch():
        handed += batch
        if batch < NOTIFY_BATCH:
            break
    return handed


def _notification_batch() -> int:
    now = timezone.now()
    with transaction.atomic():
        orders = list(
            NotificationOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=NotificationState.PENDING, send_after__lte=now)
            .select_related("delivery__dispatch")
            .order_by("send_after")[:NOTIFY_BATCH]
        )
        for order in orders:
            _hand_over(order, now)
        NotificationOrder.objects.bulk_update(orders, ["state", "state_text", "state_changed", "message_ids"])
    return len(orders)


def _hand_over(order: NotificationOrder, now) -> None:
    """Queue the order's email and SMS in the outbound channel; the rows commit with the order's new state."""
    delivery = order.delivery
    order.state_changed = now
    if delivery.status != DeliveryStatus.PUBLISHED and (order.is_reminder or delivery.is_purged):
        order.state = NotificationState.CANCELLED
        order.state_text = f"Cancelled: the correspondence is {delivery.status}"
        return
    dispatch = delivery.dispatch
    subject, body, sms = _notification_texts(dispatch, order.is_reminder)
    common = {"is_test": order.is_test, "source_type": NOTIFICATION_SOURCE, "source_id": str(order.pk)}
    try:
        with transaction.atomic():
            messages = []
            if order.email:
                messages.append(send_email(to=[order.email], subject=subject, body=body, **common))
            if order.phone:
                messages.append(send_sms(to=order.phone, body=sms, **common))
    except DomainError as error:
        order.state, order.state_text = NotificationState.FAILED, f"The outbound channel refused it: {error.message}"
        log.warning("notification.refused id=%s error=%s", order.pk, error.message)
        return
    order.state = NotificationState.QUEUED
    order.state_text = "Handed to the outbound channel"
    order.message_ids = [str(message.pk) for message in messages]
    log.info("notification.queued id=%s delivery=%s reminder=%s", order.pk, delivery.pk, order.is_reminder)


def _notification_texts(dispatch: Dispatch, is_reminder: bool) -> tuple[str, str, str]:
    """(email subject, email body, SMS) of a dispatch's notification or reminder."""
    if dispatch.notification_template == NotificationTemplate.CUSTOM_MESSAGE:
        texts = _texts(dispatch, is_reminder)
        return texts["email_subject"], texts["email_body"], texts["sms_body"]
    subject, body, sms = GENERIC_TEXTS.get(dispatch.language, GENERIC_TEXTS["en"])
    values = {"title": dispatch.message_title, "summary": dispatch.message_summary}
    prefix = REMINDER_PREFIX.get(dispatch.language, REMINDER_PREFIX["en"]) if is_reminder else ""
    return prefix + subject.format(**values), body.format(**values).strip(), prefix + sms.format(**values)


def record_notification_outcome(order_id, *, sent: bool, error: str = "", when=None) -> bool:
    """What the outbound channel reports: a sent message makes the order Sent, a failed one Failed unless sent."""
    now = when or timezone.now()
    orders = NotificationOrder.objects.filter(pk=order_id)
    if sent:
        changed = orders.filter(state__in=[NotificationState.QUEUED, NotificationState.FAILED]).update(
            state=NotificationState.SENT, state_text="Sent", sent_on=now, state_changed=now
        )
    else:
        changed = orders.filter(state=NotificationState.QUEUED).update(
            state=NotificationState.FAILED, state_text=f"The outbound channel failed: {error}"[:500], state_changed=now
        )
    if changed:
        log.info("notification.%s id=%s", "sent" if sent else "failed", order_id)
    return bool(changed)


# --- A delivery's lifecycle after publishing --------------------------------------------------------------------------


def _change(delivery: Delivery, status: str, now, text: str = "", **stamps) -> Delivery:
    event = _new_status(delivery, status, now, text)
    for name, value in stamps.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=["status", "status_text", "status_changed", *stamps])
    event.save()
    log.info("delivery.%s id=%s", status.lower(), delivery.pk)
    return delivery


def _cancel_pending(delivery: Delivery, now, reason: str, *, reminders_only: bool) -> None:
    pending = NotificationOrder.objects.filter(delivery=delivery, state=NotificationState.PENDING)
    if reminders_only:
        pending = pending.filter(is_reminder=True)
    pending.update(state=NotificationState.CANCELLED, state_text=f"Cancelled: {reason}", state_changed=now)


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().select_related("dispatch").get(pk=delivery.pk)


@transaction.atomic
def mark_read(delivery: Delivery) -> Delivery:
    """The recipient has read it: no reminder goes out after this."""
    delivery, now = _locked(delivery), timezone.now()
    if delivery.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    if delivery.status in (DeliveryStatus.READ, DeliveryStatus.CONFIRMED):
        raise AlreadyRead("Correspondence is already marked as read")
    if delivery.status != DeliveryStatus.PUBLISHED:
        raise NotPublished(
            f"Correspondence must be published before it can be read; it is {delivery.status}", error_code=1024
        )
    _cancel_pending(delivery, now, "the correspondence was read", reminders_only=True)
    return _change(delivery, DeliveryStatus.READ, now, read_on=now)


@transaction.atomic
def confirm(delivery: Delivery) -> Delivery:
    """The recipient confirms it, as a correspondence that needs confirmation asks."""
    delivery, now = _locked(delivery), timezone.now()
    if delivery.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    if delivery.status == DeliveryStatus.CONFIRMED:
        raise AlreadyConfirmed("Correspondence has already been confirmed")
    if delivery.status not in (DeliveryStatus.PUBLISHED, DeliveryStatus.READ):
        raise NotPublished(
            f"Correspondence must be published before it can be confirmed; it is {delivery.status}", error_code=1025
        )
    _cancel_pending(delivery, now, "the correspondence was confirmed", reminders_only=True)
    return _change(delivery, DeliveryStatus.CONFIRMED, now, confirmed_on=now)


@transaction.atomic
def purge(delivery: Delivery) -> Delivery:
    """Delete it for good: by the sender before publishing, for the recipient after (confirmed first if needed).

    Its attachments go too, once no other live correspondence uses them.
    """
    delivery, now = _locked(delivery), timezone.now()
    if delivery.is_purged:
        raise AlreadyPurged("Correspondence has already been purged")
    before_publishing = delivery.status in (
        DeliveryStatus.INITIALIZED,
        DeliveryStatus.READY_FOR_PUBLISH,
        DeliveryStatus.FAILED,
    )
    if (
        not before_publishing
        and delivery.dispatch.is_confirmation_needed
        and delivery.status != DeliveryStatus.CONFIRMED
    ):
        raise PurgeBeforeConfirmed(
            "Cannot archive or delete a correspondence which has not been confirmed when confirmation is required"
        )
    status = DeliveryStatus.PURGED_BY_ALTINN if before_publishing else DeliveryStatus.PURGED_BY_RECIPIENT
    _cancel_pending(delivery, now, "the correspondence was purged", reminders_only=False)
    _change(delivery, status, now, purged_on=now)
    _purge_unused_attachments(delivery.dispatch, now)
    return delivery


def _purge_unused_attachments(dispatch: Dispatch, now) -> None:
    in_use = Delivery.objects.exclude(status__in=PURGED).filter(dispatch__attachments=OuterRef("pk"))
    unused = list(
        dispatch.attachments.filter(status=AttachmentStatus.PUBLISHED).exclude(Exists(in_use)).select_for_update()
    )
    for attachment in unused:
        _delete_files_after_commit([attachment.file.name])
        _set_attachment_status(
            attachment, AttachmentStatus.PURGED, "Purged with the last correspondence using it", file=""
        )
        log.info("attachment.purged id=%s", attachment.pk)
