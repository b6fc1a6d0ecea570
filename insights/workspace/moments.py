"""The records of a timeline page, read once per kind and told in plain words."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import formats, timezone

from accounts.models import Account, AccountState
from activities.models import Activity, ActivityState, ActivityStateChange
from communications.models import Communication, OutboundMessage, OutboundStatus, QueueEntry
from correspondence.models import Correspondence, CorrespondenceEmail, CorrespondenceEmailResult, CorrespondenceStatus
from postal.models import Letter, LetterStatus

# A permanent SMTP refusal (5xx) of the recipient is what staff know as a bounce.
BOUNCE = re.compile(r"\b5\d\d\b")


@dataclass
class Moment:
    """One line of the timeline: what happened, when, its own page, and what became of it."""

    kind: str
    when: datetime
    title: str
    url: str = ""
    facts: list[str] = field(default_factory=list)
    tone: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


def when(moment: datetime | None) -> str:
    """A moment in the one date-time format of the back-office (the locale's DATETIME_FORMAT)."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def delivery(message: OutboundMessage) -> tuple[str, str]:
    """What became of an email or SMS, in plain words, and its tone."""
    to = ", ".join(message.recipients)
    if message.status == OutboundStatus.SENT:
        return f"{message.get_channel_display()} sent to {to} on {when(message.sent_on)}", "good"
    if message.status == OutboundStatus.FAILED:
        reason = message.last_error or "no reason given"
        bounced = message.channel == "EMAIL" and BOUNCE.search(reason)
        return f"{message.get_channel_display()} to {to} {'bounced' if bounced else 'failed'}: {reason}", "bad"
    if message.attempts:
        return f"{message.get_channel_display()} to {to} not sent yet, trying again: {message.last_error}", "warn"
    return f"{message.get_channel_display()} to {to} waiting to be sent", "warn"


def _communications(refs):
    messages = Prefetch("outbound_messages", OutboundMessage.objects.order_by("created_on"))
    rows = Communication.objects.select_related("category").prefetch_related(messages).in_bulk(refs)
    moments = {}
    for ref, item in rows.items():
        facts = [
            f"{item.get_direction_display()} {item.get_media_display().lower()}",
            item.get_state_display(),
        ]
        if item.category:
            facts.append(item.category.name)
        tone = ""
        for message in item.outbound_messages.all():
            words, tone = delivery(message)
            facts.append(words)
        if item.viewed_on:
            facts.append(f"opened on {when(item.viewed_on)}")
        moments[ref] = Moment(
            "communications",
            item.created_on,
            f"{item.get_media_display()}: {item.subject or item.number}",
            reverse("admin:communications_communication_change", args=[item.pk]),
            facts,
            tone,
        )
    return moments


def _emails(refs):
    rows = CorrespondenceEmail.objects.select_related("correspondence__correspondence_type").in_bulk(refs)
    tones = {CorrespondenceEmailResult.SENT: "good", CorrespondenceEmailResult.FAILED: "bad"}
    moments = {}
    for ref, item in rows.items():
        letter = item.correspondence
        if item.result == CorrespondenceEmailResult.SENT:
            outcome = f"sent on {when(item.sent_on)}"
        elif item.result == CorrespondenceEmailResult.FAILED:
            outcome = f"failed: {item.error or 'no reason given'}"
        else:
            outcome = "waiting to be sent"
        moments[ref] = Moment(
            "emails",
            item.requested_on,
            f"Letter {letter.number} emailed to {item.email}",
            reverse("admin:correspondence_correspondence_change", args=[letter.pk]),
            [letter.correspondence_type.name, outcome],
            tones.get(item.result, "warn"),
        )
    return moments


def _letters(refs):
    rows = Correspondence.objects.select_related("correspondence_type").in_bulk(refs)
    moments = {}
    for ref, item in rows.items():
        statuses = [CorrespondenceStatus(name).label for name in item.status_names]
        rendered = item.has_current_pdf and item.ready_on is not None
        moments[ref] = Moment(
            "letters",
            item.created_on,
            f"{item.correspondence_type.name} {item.number}",
            reverse("admin:correspondence_correspondence_change", args=[item.pk]),
            [
                ", ".join(statuses) if statuses else "Awaiting its PDF",
                *([item.render_error] if item.render_error else []),
            ],
            "good" if item.is_sent else ("" if rendered else "warn"),
            [("PDF", reverse("admin:correspondence_correspondence_pdf", args=[item.pk]))] if rendered else [],
        )
    return moments


def _queue(refs):
    rows = QueueEntry.objects.select_related("communication", "external_system").in_bulk(refs)
    tones = {"PENDING": "warn", "REJECTED": "bad", "COMPLETED": "good"}
    moments = {}
    for ref, item in rows.items():
        facts = [item.get_state_display()]
        if item.external_system:
            facts.append(f"for {item.external_system.name}")
        if item.error_code or item.error_description:
            facts.append(f"rejected: {item.error_description or item.error_code}")
        moments[ref] = Moment(
            "queue",
            item.created_on,
            f"Queue entry {item.number}: {item.communication.subject or item.communication.number}",
            reverse("admin:communications_queueentry_change", args=[item.pk]),
            facts,
            tones.get(item.state, ""),
        )
    return moments


def _activities(refs):
    outcome = ActivityStateChange.objects.filter(activity=OuterRef("pk"), state=ActivityState.COMPLETED)
    rows = (
        Activity.objects.select_related("type", "assigned_user", "assigned_team")
        .annotate(outcome=Subquery(outcome.values("note")[:1]))
        .in_bulk(refs)
    )
    tones = {"PENDING": "warn", "COMPLETED": "good", "CANCELLED": "muted"}
    moments = {}
    for ref, item in rows.items():
        who = " / ".join(str(part) for part in (item.assigned_user, item.assigned_team) if part)
        facts = [item.type.name, item.get_state_display(), f"planned for {when(item.scheduled_from)}"]
        if item.completed_on:
            facts.append(f"completed on {when(item.completed_on)}")
        if item.outcome:
            facts.append(f"outcome: {item.outcome}")
        if who:
            facts.append(f"assigned to {who}")
        moments[ref] = Moment(
            "activities",
            item.created_on,
            f"Activity: {item.name}",
            reverse("admin:activities_activity_change", args=[item.pk]),
            facts,
            tones.get(item.state, ""),
        )
    return moments


def _postal(refs):
    rows = Letter.objects.select_related("postal_account", "correspondence__correspondence_type").in_bulk(
        [int(ref) for ref in refs]
    )
    tones = {LetterStatus.RECEIVED: "warn", LetterStatus.LODGED: "good", LetterStatus.RETURNED: "bad"}
    moments = {}
    for dbid, item in rows.items():
        facts = [item.get_status_display(), f"by {item.get_transport_display().lower()}", f"postage {item.price}"]
        if item.lodged_on:
            facts.append(f"lodged on {when(item.lodged_on)}")
        if item.returned_on:
            facts.append(f"returned on {when(item.returned_on)}: {item.return_reason or 'no reason given'}")
        if item.last_error:
            facts.append(f"failed: {item.last_error}")
        if item.email_first_opened:
            facts.append(f"opened on {when(item.email_first_opened)}")
        carried = item.correspondence
        title = (
            f"{carried.correspondence_type.name} {carried.number} by post" if carried else f"Postal letter {item.ref}"
        )
        moments[str(dbid)] = Moment(
            "postal",
            item.received_on,
            title,
            reverse("admin:postal_letter_change", args=[item.pk]),
            facts,
            tones.get(item.status, "muted"),
            [("PDF", reverse("admin:postal_letter_pdf", args=[item.pk]))],
        )
    return moments


ACCOUNT_EVENTS = {
    AccountState.ACTIVE: ("reactivated", "good"),
    AccountState.SUSPENDED: ("suspended", "warn"),
    AccountState.TERMINATED: ("terminated", "muted"),
}


def _receivers(terminations) -> dict:
    """Per termination that moved a balance: the number of the account that took it."""
    numbers = dict(
        Account.objects.filter(pk__in={t.transferred_to_id for t in terminations}).values_list("pk", "number")
    )
    return {t.history_id: numbers[t.transferred_to_id] for t in terminations if t.transferred_to_id in numbers}


def _accounts(refs):
    snapshots = list(Account.history.model.objects.filter(history_id__in=[int(ref) for ref in refs]))
    receivers = _receivers(
        [item for item in snapshots if item.state == AccountState.TERMINATED and item.transferred_balance]
    )
    moments = {}
    for item in snapshots:
        created = item.history_type == "+"
        what, tone = ("opened", "good") if created else ACCOUNT_EVENTS[AccountState(item.state)]
        facts = [f"{item.currency_code}", f"balance {item.balance}"]
        if item.history_id in receivers:
            amount = f"{item.transferred_balance} {item.currency_code}"
            facts = [f"{amount} transferred to account {receivers[item.history_id]}"]
        if item.actor_name:
            facts.append(f"by {item.actor_name}")
        moments[str(item.history_id)] = Moment(
            "accounts",
            item.history_date,
            f"Account {item.number} {what}",
            reverse("admin:accounts_account_change", args=[item.id]),
            facts,
            tone,
        )
    return moments


READERS = {
    "communications": _communications,
    "emails": _emails,
    "letters": _letters,
    "queue": _queue,
    "activities": _activities,
    "postal": _postal,
    "accounts": _accounts,
}


def moments(rows) -> list[Moment]:
    """The page's (kind, reference, moment) rows as moments, in the page's order; one query per kind present."""
    wanted = defaultdict(list)
    for kind, ref, _ in rows:
        wanted[kind].append(ref)
    read = {kind: {str(key): moment for key, moment in READERS[kind](refs).items()} for kind, refs in wanted.items()}
    found = []
    for kind, ref, _ in rows:
        moment = read[kind].get(_same_key(ref, read[kind]))
        if moment is not None:
            found.append(moment)
    return found


def _same_key(ref: str, read: dict) -> str:
    """The database casts a UUID with or without dashes depending on the engine; in_bulk keys have them."""
    if ref in read or len(ref) != 32:
        return ref
    return f"{ref[:8]}-{ref[8:12]}-{ref[12:16]}-{ref[16:20]}-{ref[20:]}"
