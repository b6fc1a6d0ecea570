"""Letters per customer as records: created, changed and deleted; what content a type accepts."""

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.errors import InvalidValue, MissingValue, literal
from accounts.models import Contact

from ...errors.letters import AlreadySent
from ...models import Correspondence, CorrespondenceAttachment, CorrespondenceStatus, CorrespondenceType
from ..files import delete_files_after_commit
from .numbering import assign_number, check_number_free
from .rendering import request_render
from .status import set_status

log = logging.getLogger(__name__)

# A section longer than a short book is a mistake, and bounds how long one rendering can take.
MAX_SECTION_LENGTH = 100_000


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
        label = sections[key].label
        if not isinstance(text, str):
            raise InvalidValue("{field} must be text.", field=f"content.{key}", label=label)
        if len(text) > MAX_SECTION_LENGTH:
            message = f"{{field}} is longer than {MAX_SECTION_LENGTH} characters."
            raise InvalidValue(message, field=f"content.{key}", label=label)
        cleaned[key] = text
    for key, section in sections.items():
        if section.required and not cleaned.get(key, "").strip():
            message = f"{literal(kind.name)} needs the section {{field}}."
            raise MissingValue(f"content.{key}", message, label=section.label)
    return cleaned


def _check_type(kind: CorrespondenceType) -> None:
    if not kind.is_active:
        raise InvalidValue(f"The correspondence type {kind.name} is no longer offered.", field="correspondence_type")


def check_attachment_name(name: str) -> str:
    """The name an attachment is kept and emailed under, or InvalidValue."""
    stripped = name.strip()
    if not stripped or "/" in stripped or "\\" in stripped or not stripped.isprintable():
        # A line break or other control character would make every later email of the letter fail.
        raise InvalidValue(
            f"{name!r} is not a usable attachment name: one line of printable characters, without / or \\.",
            field="attachments",
        )
    return stripped


def _store_attachments(correspondence: Correspondence, attachments) -> None:
    """Add each attachment; one with the name of an existing one replaces it."""
    for attachment in attachments:
        name = check_attachment_name(attachment.name)
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


def check_new_correspondence(
    customer: Contact, *, correspondence_type: CorrespondenceType, content: dict | None = None, number: str = ""
) -> dict[str, str]:
    """Refuse, without writing anything, what `create_correspondence` would refuse; the content as it is stored."""
    _check_type(correspondence_type)
    content = validate_content(correspondence_type, content)
    number = (number or "").strip()
    if number:
        check_number_free(customer, number)
    return content


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
    content = check_new_correspondence(
        customer, correspondence_type=correspondence_type, content=content, number=number
    )
    number = (number or "").strip() or assign_number(customer)
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


def correspondence_changes(
    correspondence: Correspondence,
    *,
    correspondence_type: CorrespondenceType | None = None,
    content: dict | None = None,
    number: str | None = None,
    correspondence_date=None,
) -> dict:
    """What `update_correspondence` would change, by field; refuses, without writing, what it would refuse."""
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
            raise InvalidValue("{field} cannot be blank.", field="number", label="The correspondence number")
        if number != correspondence.number:
            check_number_free(correspondence.customer, number, exclude=correspondence)
            changes["number"] = number
    if correspondence_date is not None and correspondence_date != correspondence.correspondence_date:
        changes["correspondence_date"] = correspondence_date
    if changes and correspondence.is_sent:
        raise AlreadySent(
            f"Correspondence {correspondence.id} has been {' and '.join(correspondence.sent_status_names)}; "
            "what it says can no longer change. Create new correspondence instead.",
            field=next(iter(changes)),
        )
    return changes


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
    changes = correspondence_changes(
        correspondence,
        correspondence_type=correspondence_type,
        content=content,
        number=number,
        correspondence_date=correspondence_date,
    )
    _store_attachments(correspondence, attachments)
    if changes:
        for field, value in changes.items():
            setattr(correspondence, field, value)
        correspondence.revision += 1
        set_status(correspondence, CorrespondenceStatus.READY, False, "content changed")
        correspondence.save()
        log.info("correspondence.updated id=%s fields=%s", correspondence.id, ",".join(sorted(changes)))
        request_render(correspondence)
    return correspondence


@transaction.atomic
def delete_correspondence(correspondence: Correspondence) -> None:
    files = [correspondence.pdf.name, *(a.file.name for a in correspondence.attachments.all())]
    correspondence.delete()
    delete_files_after_commit(files)
    log.info("correspondence.deleted id=%s", correspondence.pk)
