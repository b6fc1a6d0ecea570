"""What insights shows staff on a customer's page: the customer's analytics over the last six months."""

from datetime import UTC, datetime

from accounts.backoffice import Entry, Section
from communications.models import Media

from .analytics import contact_analytics


def _day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%d %b %Y").lstrip("0")


def customer_sections(contact) -> list[Section]:
    numbers = contact_analytics(contact)
    talk, letters, work = numbers["communication_totals"], numbers["letter_totals"], numbers["activity_totals"]
    last = numbers["last_interaction_on"]
    status = "Active" if numbers["is_active"] else "Inactive"
    media_names = dict(Media.choices)
    media = ", ".join(
        f"{m['count']} {media_names[m['media']] if m['media'] == 'SMS' else media_names[m['media']].lower()}"
        for m in talk["by_media"]
        if m["count"]
    )
    months = " · ".join(
        f"{datetime.fromtimestamp(m['timestamp'], tz=UTC):%b} {m['count']}" for m in numbers["communications_per_month"]
    )
    accounts = "; ".join(
        f"{a['currency_code']}: {a['active_accounts']} of {a['accounts']} active, balance {a['balance']:,.2f}, "
        f"overdue {a['overdue_amount']:,.2f}"
        for a in numbers["account_totals"]
    )
    entries = [
        Entry(None, "Status", f"{status}; last in touch {_day(last)}" if last else f"{status}; never in touch yet"),
        Entry(None, "Accounts", accounts or "none"),
        Entry(
            None,
            "Communications",
            f"{talk['total']}{f': {media}' if media else ''}; "
            f"{talk['messages_sent']} emails or SMS sent, {talk['messages_failed']} failed",
        ),
        Entry(None, "Per month", months),
        Entry(
            None,
            "Letters",
            f"{letters['letters']} written, {letters['emailed']} emailed, {letters['delivered']} delivered; "
            f"{letters['postal_letters']} by post, {letters['postal_returned']} returned; "
            f"postage {letters['postage']:,.2f}",
        ),
        Entry(
            None,
            "Activities",
            f"{work['created']} planned, {work['completed']} completed, {work['cancelled']} cancelled; "
            f"{work['pending']} open, {work['overdue']} overdue",
        ),
    ]
    return [Section("Analytics, last six months", entries, permission="accounts.view_contact")]
