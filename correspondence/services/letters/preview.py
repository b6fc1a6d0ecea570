"""A letter as it will print, before it is saved: the same checks and the same renderer as a saved one."""

import copy
import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Contact

from ...models import Correspondence, CorrespondenceType
from ...pages import page_images
from ...pdf import render_letter
from ...printing import letter_for
from .numbering import upcoming_number
from .records import check_new_correspondence, correspondence_changes


@dataclass(frozen=True)
class LetterPreview:
    number: str
    pages: tuple[bytes, ...]  # one PNG per page


def preview_correspondence(
    customer: Contact,
    *,
    correspondence_type: CorrespondenceType,
    content: dict | None = None,
    number: str = "",
    correspondence_date: datetime.date | None = None,
) -> LetterPreview:
    """Render the letter `create_correspondence` would make, refusing what it would refuse; nothing is written."""
    content = check_new_correspondence(
        customer, correspondence_type=correspondence_type, content=content, number=number
    )
    unsaved = Correspondence(
        customer=customer,
        correspondence_type=correspondence_type,
        number=(number or "").strip() or upcoming_number(customer),
        correspondence_date=correspondence_date or timezone.localdate(),
        content=content,
    )
    rendered = render_letter(letter_for(unsaved))
    return LetterPreview(unsaved.number, tuple(page_images(rendered.pdf)))


def preview_correspondence_changes(
    correspondence: Correspondence,
    *,
    content: dict | None = None,
    number: str | None = None,
    correspondence_date: datetime.date | None = None,
) -> LetterPreview:
    """Render a letter as `update_correspondence` would leave it, refusing what it would refuse; nothing is written."""
    changes = correspondence_changes(
        correspondence, content=content, number=number, correspondence_date=correspondence_date
    )
    changed = copy.copy(correspondence)
    for field, value in changes.items():
        setattr(changed, field, value)
    rendered = render_letter(letter_for(changed))
    return LetterPreview(changed.number, tuple(page_images(rendered.pdf)))
