"""What correspondence shows staff: letters by status on the dashboard, and a customer's letters with their PDF."""

from django.urls import reverse

from accounts.backoffice import Bar, Chart, Entry, Section

from .models import Correspondence

# A customer page lists this many letters; "all" leads to the filtered list.
CUSTOMER_LETTERS = 20


def dashboard_charts() -> list[Chart]:
    letters = Correspondence.objects.in_mode(False)
    changelist = reverse("admin:correspondence_correspondence_changelist")
    bars = [
        Bar(
            "Awaiting its PDF",
            letters.filter(ready_on__isnull=True).count(),
            f"{changelist}?status=awaiting_pdf",
            "warn",
        ),
        Bar(
            "Ready, not delivered",
            letters.filter(ready_on__isnull=False, delivered_on__isnull=True).count(),
            f"{changelist}?status=undelivered",
            "",
        ),
        Bar("Emailed", letters.filter(emailed_on__isnull=False).count(), f"{changelist}?status=emailed", "good"),
        Bar("Delivered", letters.filter(delivered_on__isnull=False).count(), f"{changelist}?status=delivered", "good"),
    ]
    return [Chart("Correspondence by status", bars, url=changelist, permission="correspondence.view_correspondence")]


def customer_sections(contact) -> list[Section]:
    letters = contact.correspondence.select_related("correspondence_type").order_by("-created_on")[:CUSTOMER_LETTERS]
    entries = []
    for letter in letters:
        rendered = letter.has_current_pdf and letter.ready_on is not None
        entries.append(
            Entry(
                letter.created_on,
                f"{letter.correspondence_type.name} {letter.number}",
                f"{letter.correspondence_date:%Y-%m-%d} · {', '.join(letter.status_names) or 'awaiting its PDF'}",
                reverse("admin:correspondence_correspondence_change", args=[letter.pk]),
                reverse("admin:correspondence_correspondence_pdf", args=[letter.pk]) if rendered else "",
                "PDF" if rendered else "",
            )
        )
    changelist = reverse("admin:correspondence_correspondence_changelist")
    return [
        Section(
            "Correspondence",
            entries,
            list_url=f"{changelist}?customer={contact.pk}",
            permission="correspondence.view_correspondence",
        )
    ]
