"""What communications shows staff: the queue's depth and the outbound traffic on the dashboard."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from accounts.backoffice import Attention, Bar, Chart

from .models import OutboundMessage, OutboundStatus, QueueEntry, QueueState
from .selectors import failed_or_retrying

TRAFFIC_DAYS = 30
# Every count is of live records, so every link filters the list to live records too.
LIVE = "is_test__exact=0"

QUEUE_TONES = {
    QueueState.PENDING: "warn",
    QueueState.REJECTED: "bad",
    QueueState.COMPLETED: "good",
    QueueState.COMPLETED_AND_REMOVED: "muted",
}
TRAFFIC_TONES = {"sent": "good", "retrying": "warn", "failed": "bad"}


def dashboard_attention(user) -> list[Attention]:
    messages = reverse("admin:communications_outboundmessage_changelist")
    queue = reverse("admin:communications_queueentry_changelist")
    return [
        Attention(
            "Messages failed or retrying",
            failed_or_retrying(OutboundMessage.objects.in_mode(False)).count(),
            f"{messages}?delivery=failed_or_retrying&{LIVE}",
            "bad",
            "communications.view_outboundmessage",
        ),
        Attention(
            "Queue entries pending",
            QueueEntry.objects.in_mode(False).filter(state=QueueState.PENDING).count(),
            f"{queue}?state__exact={QueueState.PENDING}&{LIVE}",
            "warn",
            "communications.view_queueentry",
        ),
    ]


def dashboard_charts() -> list[Chart]:
    return [_queue_by_state(), _queue_by_system(), _traffic_per_day()]


def _queue_by_state() -> Chart:
    per_state = QueueEntry.objects.in_mode(False).order_by().values_list("state").annotate(n=Count("pk"))
    counts = dict(per_state.values_list("state", "n"))
    changelist = reverse("admin:communications_queueentry_changelist")
    bars = [
        Bar(
            state.label,
            counts.get(state.value, 0),
            f"{changelist}?state__exact={state.value}&{LIVE}",
            QUEUE_TONES[state],
        )
        for state in QueueState
    ]
    return Chart("Queue entries by state", bars, url=changelist, permission="communications.view_queueentry")


def _queue_by_system() -> Chart:
    """The queue's depth: entries still pending, per external system that is to pick them up."""
    per_system = (
        QueueEntry.objects.in_mode(False)
        .filter(state=QueueState.PENDING)
        .order_by()
        .values("external_system_id", "external_system__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "external_system__name")
    )
    changelist = reverse("admin:communications_queueentry_changelist")
    pending = f"{changelist}?state__exact={QueueState.PENDING}&{LIVE}"
    bars = [
        Bar(
            row["external_system__name"] or "No external system",
            row["n"],
            f"{pending}&"
            + (
                f"external_system__id__exact={row['external_system_id']}"
                if row["external_system_id"]
                else "external_system__isnull=True"
            ),
            "warn",
        )
        for row in per_system
    ]
    return Chart(
        "Queue depth by external system",
        bars,
        url=pending,
        note="" if bars else "Nothing pending.",
        permission="communications.view_queueentry",
    )


def _traffic_per_day(now=None) -> Chart:
    """Emails and SMS per day of creation: sent, failed for good, and still retrying after a failed attempt."""
    today = timezone.localdate(now or timezone.now())
    first_day = today - timedelta(days=TRAFFIC_DAYS - 1)
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    rows = (
        OutboundMessage.objects.in_mode(False)
        .filter(created_on__gte=start)
        .order_by()
        .values("status", day=TruncDate("created_on"))
        .annotate(n=Count("pk"), retried=Count("pk", filter=Q(attempts__gt=0)))
    )
    figures = {first_day + timedelta(days=n): dict.fromkeys(TRAFFIC_TONES, 0) for n in range(TRAFFIC_DAYS)}
    for row in rows:
        day = figures.get(row["day"])
        if day is None:
            continue
        if row["status"] == OutboundStatus.SENT:
            day["sent"] += row["n"]
        elif row["status"] == OutboundStatus.FAILED:
            day["failed"] += row["n"]
        else:
            day["retrying"] += row["retried"]
    changelist = reverse("admin:communications_outboundmessage_changelist")
    bars = [
        Bar(
            f"{day:%d %b}",
            sum(counts.values()),
            f"{changelist}?created_on__year={day.year}&created_on__month={day.month}&created_on__day={day.day}&{LIVE}",
            segments=[(counts[kind], tone) for kind, tone in TRAFFIC_TONES.items()],
        )
        for day, counts in figures.items()
    ]
    return Chart(
        f"Messages per day, last {TRAFFIC_DAYS} days",
        bars,
        url=changelist,
        kind="columns",
        legend=[(kind.capitalize(), tone) for kind, tone in TRAFFIC_TONES.items()],
        permission="communications.view_outboundmessage",
    )
