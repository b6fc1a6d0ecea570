"""Demo data: the activity type and tag seed 004's examples name, and a few activities for the demo customers."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.demo import ADMIN_USERNAME
from accounts.models import Contact, Lead, Order, ServiceRequest, Team

from . import services
from .models import Activity, ActivityType, CustomFieldDefinition, Tag

TYPES = [("site visit", "876FD5"), ("call", "2E86C1")]
TAGS = [("VIP", "#0000FF"), ("Maintenance", "#FF5733")]

# (contact code, name, type, days from now, hours long, tags, the order, service request or lead it is for)
ACTIVITIES = [
    ("C123", "Call customer", "call", 1, 1, ["VIP"], (Order, "O101367")),
    ("C124", "Site visit for the boiler service", "site visit", 3, 2, ["Maintenance"], (ServiceRequest, "SRV78001")),
    ("C124", "Present the broadband offer", "call", 2, 1, [], (Lead, "60")),
    ("C200", "Quarterly review on site", "site visit", -2, 3, ["VIP"], None),
]


def sandbox_name(name: str, is_test: bool) -> str:
    return f"{name} (test)" if is_test else name


def load() -> str:
    CustomFieldDefinition.objects.get_or_create(key="back_office", defaults={"label": "Back-office reference"})
    # Test-mode keys get the same settings, so the documented examples work in the sandbox too; their names
    # say so, as a pick-list offering both modes never shows the same name twice.
    for is_test in (False, True):
        for name, color in TYPES:
            ActivityType.objects.get_or_create(
                is_test=is_test, name=sandbox_name(name, is_test), defaults={"color": color}
            )
        for name, colour in TAGS:
            Tag.objects.get_or_create(is_test=is_test, name=sandbox_name(name, is_test), defaults={"colour": colour})

    admin = get_user_model().objects.filter(username=ADMIN_USERNAME).first()
    support = Team.objects.filter(name="Support").first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for code, name, type_name, days, hours, tag_names, link in ACTIVITIES:
        contact = Contact.objects.in_mode(False).filter(code=code).first()
        if contact is None or Activity.objects.filter(contact=contact, name=name).exists():
            continue
        linked = link[0].objects.filter(contact=contact, number=link[1]).first() if link else None
        starts = now + timedelta(days=days)
        activity = services.create_activity(
            is_test=False,
            name=name,
            type=ActivityType.objects.in_mode(False).get(name=type_name),
            contact=contact,
            scheduled_from=starts,
            scheduled_to=starts + timedelta(hours=hours),
            use_entity_address=contact.addresses.exists(),
            linked=linked,
            assigned_user=admin,
            assigned_team=support,
            custom_fields={"back_office": f"0001-{contact.code}"},
        )
        services.set_activity_tags(activity, list(Tag.objects.in_mode(False).filter(name__in=tag_names)))
        if starts < now:
            # An overdue visit was planned before it fell due, a week ahead: nothing is planned after its date.
            planned = starts - timedelta(days=7)
            Activity.objects.filter(pk=activity.pk).update(created_on=planned)
            activity.state_history.update(date=planned)
            activity.history.filter(history_type="+").update(history_date=planned)
        created += 1
    return f"{created} new activit{'y' if created == 1 else 'ies'}; activity type 'site visit', tag 'VIP'"
