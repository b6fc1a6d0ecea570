"""The selector behind a customer's timeline: one page of everything, merged and ordered by the database.

Each kind contributes a queryset of (kind, reference, moment); the database unites them, orders them newest
first and cuts the page, so nothing beyond a page is ever loaded. Only the page's records are then read, one
query per kind present on the page.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, F, Q, Value, Window
from django.db.models.functions import Cast, Lag

from accounts.models import Account, Contact
from activities.models import Activity
from communications.models import Communication, QueueEntry
from correspondence.models import Correspondence, CorrespondenceEmail
from postal.models import Letter


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    permission: str


KINDS = (
    Kind("communications", "Communications", "communications.view_communication"),
    Kind("emails", "Letters emailed", "correspondence.view_correspondence"),
    Kind("letters", "Letters", "correspondence.view_correspondence"),
    Kind("queue", "Queue entries", "communications.view_queueentry"),
    Kind("activities", "Activities", "activities.view_activity"),
    Kind("postal", "Postal letters", "postal.view_letter"),
    Kind("accounts", "Account events", "accounts.view_account"),
)
KIND_KEYS = tuple(kind.key for kind in KINDS)


def account_events(contact: Contact):
    """The account snapshots that are events: each account's first one (created) and every change of state."""
    # By the indexed account id: the snapshots' contact column carries no index.
    snapshots = Account.history.model.objects.filter(id__in=Account.objects.filter(contact=contact).values("pk"))
    previous = Window(Lag("state"), partition_by=[F("id")], order_by=[F("history_date").asc(), F("history_id").asc()])
    return snapshots.annotate(previous_state=previous).filter(
        Q(previous_state__isnull=True) | ~Q(previous_state=F("state"))
    )


def postal_letters(contact: Contact):
    """A customer's postal letters are those carrying one of its own letters, whatever postal account sent them."""
    return Letter.objects.filter(correspondence__customer=contact)


def sources(contact: Contact) -> dict:
    """Per kind: the contact's records of that kind, and the field saying when each happened."""
    return {
        "communications": (Communication.objects.filter(contact=contact), "created_on"),
        "emails": (CorrespondenceEmail.objects.filter(correspondence__customer=contact), "requested_on"),
        "letters": (Correspondence.objects.filter(customer=contact), "created_on"),
        "queue": (QueueEntry.objects.filter(communication__contact=contact), "created_on"),
        "activities": (Activity.objects.filter(contact=contact), "created_on"),
        "postal": (postal_letters(contact), "received_on"),
        "accounts": (account_events(contact), "history_date"),
    }


@dataclass
class TimelinePage:
    rows: list[tuple[str, str, object]]  # (kind, reference, moment), newest first
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _keyed(kind: str, rows, moment: str, reference: str, enough: int | None):
    keyed = (
        rows.order_by()
        .annotate(
            timeline_kind=Value(kind, output_field=CharField()),
            timeline_ref=Cast(reference, CharField()),
            timeline_moment=F(moment),
        )
        .values_list("timeline_kind", "timeline_ref", "timeline_moment")
    )
    # Where the database allows a limit inside a UNION, each kind gives at most what the page could need.
    if enough is not None and connection.features.supports_slicing_ordering_in_compound:
        keyed = keyed.order_by("-timeline_moment", "-timeline_ref")[:enough]
    return keyed


def kind_counts(contact: Contact, kinds=KIND_KEYS) -> dict[str, int]:
    """How many moments the contact's timeline holds of each named kind."""
    return {kind: rows.count() for kind, (rows, _) in sources(contact).items() if kind in kinds}


def timeline_page(contact: Contact, kinds=KIND_KEYS, *, page: int = 1, size: int = 25) -> TimelinePage:
    """One page of the contact's timeline over the named kinds, newest first."""
    page = max(1, page)
    chosen = {kind: source for kind, source in sources(contact).items() if kind in kinds}
    # A single kind needs no union, and its query is ordered and cut once below.
    enough = page * size + 1 if len(chosen) > 1 else None
    parts = [
        _keyed(kind, rows, moment, "history_id" if kind == "accounts" else "pk", enough)
        for kind, (rows, moment) in chosen.items()
    ]
    if not parts:
        return TimelinePage([], page, size, False)
    merged = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    start = (page - 1) * size
    rows = list(merged.order_by("-timeline_moment", "-timeline_ref")[start : start + size + 1])
    return TimelinePage(rows[:size], page, size, len(rows) > size)
