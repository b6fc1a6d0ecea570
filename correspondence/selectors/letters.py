"""Reads of letters per customer reused by the API, the admin, the commands and postal."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.errors import InvalidValue

from ..errors.letters import PdfNotAvailable
from ..models import Correspondence, CorrespondenceType


@dataclass(frozen=True)
class LetterStage:
    """Where a letter is on its way, each letter in exactly one stage (the dashboard counts it once)."""

    label: str
    condition: Q

    def of(self, letters: QuerySet) -> QuerySet:
        return letters.filter(self.condition)


LETTER_STAGES = {
    "awaiting_pdf": LetterStage("Awaiting its PDF", Q(ready_on__isnull=True)),
    "not_sent": LetterStage(
        "Ready, not sent", Q(ready_on__isnull=False, emailed_on__isnull=True, delivered_on__isnull=True)
    ),
    "emailed_only": LetterStage("Emailed, not delivered", Q(emailed_on__isnull=False, delivered_on__isnull=True)),
    "delivered": LetterStage("Delivered", Q(delivered_on__isnull=False)),
}


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
            field="correspondence_type",
        )
    return kind
