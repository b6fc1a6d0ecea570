"""Demo data: the reference names seed 003's examples use, and a few communications of the demo customers."""

from accounts.models import Contact, Group

from . import services
from .models import Category, Communication, PrivacyLevel, QueueExternalSystem, Template

TEMPLATES = [
    {
        "name": "Subscription Information",
        "direction": "OUTGOING",
        "media": "EMAIL",
        "subject": " Information for subscription #subscription.number",
        "content": (
            "Dear #contact_information.first_name we would like to inform you that the subscription "
            "#subscription.number is #subscription.life_cycle_state subscription"
        ),
    },
    {
        "name": "Payment Reminder",
        "direction": "OUTGOING",
        "media": "SMS",
        "subject": "Payment reminder",
        "content": (
            "Dear #contact_information.first_name, account #accounts_receivable.number has "
            "#accounts_receivable.balance #accounts_receivable.currency outstanding."
        ),
    },
]
CATEGORIES = [("Customer Care Information", "cci"), ("Billing", "bill")]
EXTERNAL_SYSTEMS = [
    ("CONAX Mail message", "CW5 MAIL"),
    ("External SMS System", "ESMSS"),
    ("EXT 1", "E1"),
]
PRIVACY_LEVELS = [("Public", "PUB", 0), ("Internal", "INT", 10), ("Confidential", "CONF", 20)]


def load() -> str:
    for spec in TEMPLATES:
        Template.objects.get_or_create(name=spec["name"], defaults=spec)
    for name, code in CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"code": code, "description": name})
    for name, code in EXTERNAL_SYSTEMS:
        QueueExternalSystem.objects.get_or_create(name=name, defaults={"alternative_code": code})
    for name, code, rank in PRIVACY_LEVELS:
        PrivacyLevel.objects.get_or_create(name=name, defaults={"alternative_code": code, "rank": rank})

    created = 0
    if not Communication.objects.filter(contact__code__in=["C123", "C124"]).exists():
        created = _communications()
    return (
        f"{len(TEMPLATES)} templates, {len(CATEGORIES)} categories, {len(EXTERNAL_SYSTEMS)} queue external systems, "
        f"{len(PRIVACY_LEVELS)} privacy levels; {created} new communication(s)"
    )


def _communications() -> int:
    john = Contact.objects.filter(code="C123").first()
    maria = Contact.objects.filter(code="C124").first()
    if john is None or maria is None:
        return 0
    care = Category.objects.get(code="cci")
    main_group = Group.objects.filter(name="Main Group").first()
    conax = QueueExternalSystem.objects.get(name="CONAX Mail message")
    account = john.accounts.order_by("-is_primary").first()
    services.create_communication(
        is_test=False,
        contact=john,
        template=Template.objects.get(name="Subscription Information"),
        to=john.email,
        state="DRAFT",
        category=care,
        owned_by_group=main_group,
        referring_to={"subscription_identifier": {"number": "S60302"}},
    )
    services.create_communication(
        is_test=False,
        contact=john,
        direction="INCOMING",
        media="PHONE",
        subject="Question about the last bill",
        content="Called to ask why the bill was higher than usual; explained the new tariff.",
        category=care,
        referring_to={"accounts_receivable_identifier": {"number": account.number}} if account else None,
    )
    services.create_communication(
        is_test=False,
        contact=maria,
        direction="OUTGOING",
        media="LETTER",
        subject="Card details",
        content="Dear #contact_information.first_name, your new card is on its way.",
        queue_external_system=conax,
        category=care,
    )
    return 3
