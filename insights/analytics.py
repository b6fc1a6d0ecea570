"""A contact's (or an organisation's) analytics: totals over a period and per-month series, counted by the
database over everything the customer record holds."""

import calendar
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DateTimeField, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from accounts.errors import InvalidValue
from accounts.models import Account, AccountState, Contact
from activities.models import Activity, ActivityState, ActivityStateChange
from activities.selectors import overdue_activities
from communications.models import Communication, Direction, Media, OutboundMessage
from correspondence.models import Correspondence
from postal.models import Letter

from .periods import Frequency, Interval, Period, epoch, frequency_period, parse_choice

METRICS = (
    "ACCOUNT_TOTALS",
    "COMMUNICATION_TOTALS",
    "LETTER_TOTALS",
    "ACTIVITY_TOTALS",
    "COMMUNICATIONS_PER_MONTH",
    "ACTIVITIES_PER_MONTH",
)
ACTIVE_WITHIN_MONTHS = 12


def parse_metrics(raw) -> list[str]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return list(METRICS)
    items = raw if isinstance(raw, list) else str(raw).split(",")
    asked = [str(item).strip().upper() for item in items if str(item).strip()]
    unknown = [item for item in asked if item not in METRICS]
    if unknown:
        raise InvalidValue(
            f"metrics: {', '.join(unknown)} is not a metric; use any of {', '.join(METRICS)}.",
            field="metrics",
            parameters=["metrics", *unknown],
        )
    return list(dict.fromkeys(asked))


def contact_analytics(contact: Contact, *, frequency=None, metrics=None, now: datetime | None = None) -> dict:
    """The asked metrics over the period the frequency names (default LAST_SIX_MONTHS), plus whether the
    contact is active and when it was last in touch."""
    now = now or timezone.now()
    asked = parse_metrics(metrics)
    frequency = parse_choice(frequency, "frequency", Frequency) or Frequency.LAST_SIX_MONTHS
    period = frequency_period(frequency, now, Interval.MONTH)
    answer = {metric.lower(): MEASURES[metric](contact, period, now) for metric in asked}
    answer.update(_activity_state(contact, now))
    return answer


def _within(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _money(amount) -> float:
    return float(round(Decimal(amount or 0), 2))


def account_totals(contact: Contact, period: Period, now: datetime) -> list[dict]:
    """Now, whatever the period: per currency, the accounts, the active ones, and what they hold."""
    rows = (
        Account.objects.filter(contact=contact)
        .values("currency_code")
        .annotate(
            accounts=Count("pk"),
            active_accounts=Count("pk", filter=Q(state=AccountState.ACTIVE)),
            balance=Sum("balance"),
            overdue_amount=Sum("overdue_amount"),
        )
        .order_by("currency_code")
    )
    return [
        {
            "currency_code": row["currency_code"],
            "accounts": row["accounts"],
            "active_accounts": row["active_accounts"],
            "balance": _money(row["balance"]),
            "overdue_amount": _money(row["overdue_amount"]),
        }
        for row in rows
    ]


def communication_totals(contact: Contact, period: Period, now: datetime) -> dict:
    created = _within("created_on", period)
    counts = Communication.objects.filter(contact=contact).aggregate(
        total=Count("pk", filter=created),
        **{f"media_{m}": Count("pk", filter=created & Q(media=m)) for m in Media.values},
        **{f"direction_{d}": Count("pk", filter=created & Q(direction=d)) for d in Direction.values},
    )
    messages = OutboundMessage.objects.filter(communication__contact=contact).aggregate(
        sent=Count("pk", filter=_within("sent_on", period)), failed=Count("pk", filter=_within("failed_on", period))
    )
    return {
        "total": counts["total"],
        "by_media": [{"media": m, "count": counts[f"media_{m}"]} for m in Media.values],
        "by_direction": [{"direction": d, "count": counts[f"direction_{d}"]} for d in Direction.values],
        "messages_sent": messages["sent"],
        "messages_failed": messages["failed"],
    }


def letter_totals(contact: Contact, period: Period, now: datetime) -> dict:
    letters = Correspondence.objects.filter(customer=contact).aggregate(
        letters=Count("pk", filter=_within("created_on", period)),
        emailed=Count("pk", filter=_within("emailed_on", period)),
        delivered=Count("pk", filter=_within("delivered_on", period)),
    )
    received = _within("received_on", period)
    # A customer's postal letters are those of the postal accounts linked to it.
    postal = Letter.objects.filter(postal_account__contact=contact, is_test=contact.is_test).aggregate(
        postal_letters=Count("pk", filter=received),
        postal_returned=Count("pk", filter=_within("returned_on", period)),
        postage=Sum("price", filter=received),
    )
    return {**letters, **postal, "postage": _money(postal["postage"])}


def activity_totals(contact: Contact, period: Period, now: datetime) -> dict:
    """Created, completed and cancelled within the period; pending and overdue as they stand now."""
    counts = Activity.objects.filter(contact=contact).aggregate(
        created=Count("pk", filter=_within("created_on", period)),
        completed=Count("pk", filter=_within("completed_on", period)),
        pending=Count("pk", filter=Q(state=ActivityState.PENDING)),
    )
    cancelled = ActivityStateChange.objects.filter(
        _within("date", period), activity__contact=contact, state=ActivityState.CANCELLED
    ).count()
    overdue = overdue_activities(contact.is_test, now).filter(contact=contact).count()
    return {
        "created": counts["created"],
        "completed": counts["completed"],
        "pending": counts["pending"],
        "cancelled": cancelled,
        "overdue": overdue,
    }


def _per_month(rows, field: str, period: Period) -> list[dict]:
    month = Trunc(field, "month", output_field=DateTimeField(), tzinfo=period.start.tzinfo)
    counted = rows.filter(_within(field, period)).annotate(month=month).values("month").annotate(n=Count("pk"))
    per_month = {epoch(row["month"]): row["n"] for row in counted.order_by()}
    return [{"timestamp": epoch(start), "count": per_month.get(epoch(start), 0)} for start in period.buckets()]


def communications_per_month(contact: Contact, period: Period, now: datetime) -> list[dict]:
    return _per_month(Communication.objects.filter(contact=contact), "created_on", period)


def activities_per_month(contact: Contact, period: Period, now: datetime) -> list[dict]:
    return _per_month(Activity.objects.filter(contact=contact), "created_on", period)


MEASURES = {
    "ACCOUNT_TOTALS": account_totals,
    "COMMUNICATION_TOTALS": communication_totals,
    "LETTER_TOTALS": letter_totals,
    "ACTIVITY_TOTALS": activity_totals,
    "COMMUNICATIONS_PER_MONTH": communications_per_month,
    "ACTIVITIES_PER_MONTH": activities_per_month,
}


def _activity_state(contact: Contact, now: datetime) -> dict:
    """Active: an ACTIVE or SUSPENDED account, or a communication, letter or activity in the last 12 months.
    The last interaction is the newest communication, letter or activity, whatever the period."""

    def newest(model, contact_field: str):
        rows = model.objects.filter(**{contact_field: OuterRef("pk")}).values(contact_field)
        return Subquery(rows.annotate(newest=Max("created_on")).values("newest")[:1])

    open_account = Account.objects.filter(
        contact=OuterRef("pk"), state__in=[AccountState.ACTIVE, AccountState.SUSPENDED]
    )
    row = (
        Contact.objects.filter(pk=contact.pk)
        .annotate(
            communication=newest(Communication, "contact"),
            letter=newest(Correspondence, "customer"),
            activity=newest(Activity, "contact"),
            open_account=Exists(open_account),
        )
        .values("communication", "letter", "activity", "open_account")
        .get()
    )
    moments = [row[name] for name in ("communication", "letter", "activity") if row[name] is not None]
    last = max(moments, default=None)
    return {
        "is_active": row["open_account"] or (last is not None and last >= _months_before(now, ACTIVE_WITHIN_MONTHS)),
        "last_interaction_on": epoch(last) if last else None,
    }


def _months_before(moment: datetime, months: int) -> datetime:
    """The same day that many months before, or that month's last day when it is shorter (31 March → 28 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
