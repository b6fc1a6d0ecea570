"""What postal shows staff: letters at the mail house by status, and a customer's postal letters."""

from django.db.models import Count
from django.urls import reverse

from accounts.backoffice import Bar, Chart, Entry, Section

from .models import STORED_STATUSES, Letter, LetterStatus

# A customer page lists this many letters; "all" leads to the filtered list.
CUSTOMER_LETTERS = 20

TONES = {
    LetterStatus.RECEIVED: "warn",
    LetterStatus.LODGED: "good",
    LetterStatus.CANCELLED: "muted",
    LetterStatus.RETURNED: "bad",
}


def dashboard_charts() -> list[Chart]:
    per_status = Letter.objects.in_mode(False).order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict(per_status.values_list("status", "n"))
    changelist = reverse("admin:postal_letter_changelist")
    bars = [
        Bar(LetterStatus(status).label, counts.get(status, 0), f"{changelist}?status__exact={status}", TONES[status])
        for status in STORED_STATUSES
    ]
    return [Chart("Postal letters by status", bars, url=changelist, permission="postal.view_letter")]


def customer_sections(contact) -> list[Section]:
    """Letters of the postal accounts linked to this contact."""
    letters = (
        Letter.objects.filter(postal_account__contact=contact)
        .select_related("postal_account", "mailing")
        .order_by("-received_on", "-dbid")[:CUSTOMER_LETTERS]
    )
    entries = [
        Entry(
            letter.received_on,
            f"Letter {letter.ref} ({letter.postal_account.code})",
            f"{letter.get_status_display()} · {' → '.join(letter.transports_tried)} · mailing {letter.mailing.epid}",
            reverse("admin:postal_letter_change", args=[letter.pk]),
            reverse("admin:postal_letter_pdf", args=[letter.pk]),
            "PDF",
        )
        for letter in letters
    ]
    accounts = list(contact.postal_accounts.values_list("pk", flat=True))
    changelist = reverse("admin:postal_letter_changelist")
    return [
        Section(
            "Postal letters",
            entries,
            list_url=f"{changelist}?postal_account__id__exact={accounts[0]}" if len(accounts) == 1 else "",
            permission="postal.view_letter",
        )
    ]
