"""What a contact's page shows: who they are, quick actions, their analytics and one page of their timeline."""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.urls import reverse

from accounts.models import Contact
from communications.models import Media
from correspondence.models import Correspondence

from ..analytics import contact_analytics
from .moments import moments, when
from .timeline import KINDS, kind_counts, timeline_page

PAGE_SIZE = 25


@dataclass
class Action:
    label: str
    url: str


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""


def quick_actions(contact: Contact, user) -> list[Action]:
    """What staff most often do next for a customer, each on the screen that does it, prefilled."""
    actions = []
    if user.has_perm("communications.add_communication"):
        log = reverse("admin:communications_communication_add")
        for label, media in (("Log a call", "PHONE"), ("Log an email", "EMAIL")):
            actions.append(Action(label, f"{log}?{urlencode({'contact': contact.pk, 'media': media})}"))
    if user.has_perm("correspondence.add_correspondence"):
        actions.append(
            Action("Write a letter", f"{reverse('admin:correspondence_correspondence_add')}?contact={contact.pk}")
        )
    if user.has_perm("activities.add_activity"):
        actions.append(Action("Plan an activity", f"{reverse('admin:activities_activity_add')}?contact={contact.pk}"))
    if user.has_perm("correspondence.email_correspondence"):
        latest = Correspondence.objects.filter(customer=contact, ready_on__isnull=False).order_by("-created_on").first()
        url = (
            reverse("admin:correspondence_correspondence_change", args=[latest.pk])
            if latest
            else f"{reverse('admin:correspondence_correspondence_changelist')}?customer={contact.pk}"
        )
        actions.append(Action("Email a letter", url))
    return actions


def _media_word(media: str) -> str:
    label = Media(media).label
    return label if label.isupper() else label.lower()


def figures(contact: Contact) -> list[Figure]:
    """The customer's analytics over the last six months, as the analytics API answers them, in a few words."""
    numbers = contact_analytics(contact)
    talk, letters, work = numbers["communication_totals"], numbers["letter_totals"], numbers["activity_totals"]
    last = numbers["last_interaction_on"]
    shown = [
        Figure(
            "Status",
            "Active" if numbers["is_active"] else "Inactive",
            f"last in touch {when(datetime.fromtimestamp(last, tz=UTC))}" if last else "never in touch yet",
        ),
        Figure(
            "Communications",
            str(talk["total"]),
            "; ".join(
                part
                for part in (
                    ", ".join(
                        f"{row['count']} {_media_word(row['media'])}" for row in talk["by_media"] if row["count"]
                    ),
                    f"{talk['messages_sent']} emails or SMS sent, {talk['messages_failed']} failed",
                )
                if part
            ),
        ),
        Figure(
            "Communications per month",
            str(numbers["communications_per_month"][-1]["count"]),
            "this month; before: "
            + ", ".join(
                f"{datetime.fromtimestamp(month['timestamp'], tz=UTC):%b} {month['count']}"
                for month in numbers["communications_per_month"][:-1]
            ),
        ),
        Figure("Letters", str(letters["letters"]), f"{letters['emailed']} emailed, {letters['delivered']} delivered"),
        Figure("Activities", str(work["pending"]), f"open, {work['overdue']} overdue; {work['completed']} completed"),
    ]
    if letters["postal_letters"]:
        # The analytics count the letters of the customer's own postal accounts: what it sent through the mail house.
        shown.append(
            Figure(
                "Sent through the mail house",
                str(letters["postal_letters"]),
                f"{letters['postal_returned']} returned, postage {letters['postage']:,.2f}",
            )
        )
    for account in numbers["account_totals"]:
        shown.append(
            Figure(
                f"Balance {account['currency_code']}",
                f"{account['balance']:,.2f}",
                f"{account['active_accounts']} of {account['accounts']} accounts active, "
                f"overdue {account['overdue_amount']:,.2f}",
            )
        )
    return shown


def _whole_number(raw, default: int) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return default


def timeline(contact: Contact, user, query) -> dict:
    """One page of the timeline for the kind and page the query names, with links to the other kinds and pages."""
    visible = [kind for kind in KINDS if user.has_perm(kind.permission)]
    chosen = query.get("kind")
    kinds = [kind.key for kind in visible if kind.key == chosen] or [kind.key for kind in visible]
    if len(kinds) > 1:
        chosen = ""
    number = _whole_number(query.get("page"), 1)
    page = timeline_page(contact, kinds, page=number, size=PAGE_SIZE)
    counts = kind_counts(contact, [kind.key for kind in visible])

    def link(kind: str = "", page_number: int = 1) -> str:
        params = {name: value for name, value in (("kind", kind), ("page", page_number)) if value and value != 1}
        return f"?{urlencode(params)}#timeline" if params else "?#timeline"

    return {
        "moments": moments(page.rows),
        "page": page,
        "shown_total": sum(counts.get(kind, 0) for kind in kinds),
        "chosen": chosen,
        "filters": [{"label": "Everything", "count": sum(counts.values()), "url": link(), "current": not chosen}]
        + [
            {
                "label": kind.label,
                "count": counts.get(kind.key, 0),
                "url": link(kind.key),
                "current": kind.key == chosen,
            }
            for kind in visible
        ],
        "newer_url": link(chosen, page.number - 1) if page.has_previous else "",
        "older_url": link(chosen, page.number + 1) if page.has_next else "",
    }


def customer_workspace(contact: Contact, request) -> dict:
    accounts = contact.accounts.order_by("-is_primary", "state", "-created_on")
    return {
        "contact": contact,
        "addresses": contact.addresses.order_by("-is_primary", "address_type"),
        "accounts": accounts if request.user.has_perm("accounts.view_account") else [],
        "actions": quick_actions(contact, request.user),
        "figures": figures(contact) if request.user.has_perm("accounts.view_contact") else [],
        "timeline": timeline(contact, request.user, request.GET),
    }
