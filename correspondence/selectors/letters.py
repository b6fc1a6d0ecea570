"""Reads of letters per customer reused by the API, the admin, the commands and postal."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.errors import InvalidValue

from ..errors.letters import PdfNotAvailable
from ..models import Correspondence, CorrespondenceType


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
