"""Correspondence to one customer: created, changed, rendered as a PDF letter, emailed, delivered."""

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.background import start_task_after_commit
from accounts.errors import Conflict, DomainError, InvalidValue, MissingValue
from accounts.models import Contact
from accounts.numbering import next_number
from communications.services import send_email

from ..errors import (
    AlreadySent,
    EmailNotAccepted,
    NoSuchAttachment,
    NotReady,
)
from ..letters import letter_for, printed_date
from ..models import (
    Correspondence,
    CorrespondenceAttachment,
    CorrespondenceStatus,
    CorrespondenceStatusChange,
    CorrespondenceType,
    EmailDelivery,
    EmailDeliveryResult,
)
from ..pdf import render_letter
from ..selectors import current_pdf

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
            delete_files_after_commit([previous.file.name])
            previous.delete()
        record = CorrespondenceAttachment(
            correspondence=correspondence,
            name=name,
            content_type=attachment.content_type or "application/octet-stream",
            size=len(attachment.data),
        )
        record.file.save(name, ContentFile(attachment.data), save=False)
        record.save()


def delete_files_after_commit(names) -> None:
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
    delete_files_after_commit(files)
    log.info("correspondence.deleted id=%s", correspondence.pk)


def request_render(correspondence: Correspondence) -> None:
    """Hand the rendering to the `pdf` queue once the current transaction has committed."""
    start_task_after_commit("correspondence.render_pdf", str(correspondence.pk), correspondence.revision)


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
            delete_files_after_commit([previous])
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
