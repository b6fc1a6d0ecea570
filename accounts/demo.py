"""Demo data: the reference names seed 004's examples use, staff logins, customers with accounts, and the
subscriptions, lead, service request and order the examples of seeds 003 and 004 name."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from . import services
from .models import (
    Classification,
    Contact,
    Group,
    Lead,
    Order,
    PaymentTerms,
    ServiceRequest,
    Subscription,
    SubscriptionType,
    Team,
)

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"

CUSTOMERS = [
    {
        "code": "C123",
        "first_name": "John",
        "last_name": "Smith",
        "title": "Mr",
        "email": "john.smith@example.com",
        "phone": "+35799123456",
        "id_number": "01017012345",
        "address": {
            "address_line_1": "2265 Oak Street",
            "state_province_county": "New York",
            "town_city": "Old Forge",
            "postal_code": "13420",
            "country_code": "USA",
        },
        "accounts": [("EUR", Decimal("99.99"), True), ("USD", Decimal("0"), False)],
    },
    {
        "code": "C124",
        "first_name": "Maria",
        "last_name": "Georgiou",
        "title": "Ms",
        "email": "maria.georgiou@example.com",
        "phone": "+35799654321",
        "id_number": "15028512345",
        "address": {
            "address_line_1": "Elia Papakyriakou",
            "address_line_2": "7 Tower Stars",
            "state_province_county": "Egkomi",
            "town_city": "Nicosia",
            "postal_code": "2015",
            "country_code": "CYP",
        },
        "accounts": [("EUR", Decimal("12.50"), True)],
    },
    {
        "code": "C200",
        "contact_type": "COMPANY",
        "company_name": "Nordlys Shipping AS",
        "email": "post@nordlys.example.com",
        "phone": "+4722000000",
        "org_number": "310000001",
        "address": {
            "address_line_1": "Karl Johans gate 1",
            "town_city": "Oslo",
            "postal_code": "0154",
            "country_code": "NOR",
        },
        "accounts": [("NOK", Decimal("2500.00"), True)],
    },
    # Valid Norwegian numbers (check digits and all), the recipients of /correspondence/api/v1/'s examples.
    {
        "code": "C300",
        "contact_type": "COMPANY",
        "company_name": "Fjordlys Energi AS",
        "email": "post@fjordlys.example.com",
        "phone": "+4722334455",
        "org_number": "910000004",
        "address": {
            "address_line_1": "Strandkaien 2",
            "town_city": "Bergen",
            "postal_code": "5013",
            "country_code": "NOR",
        },
        "accounts": [("NOK", Decimal("0"), True)],
    },
    {
        "code": "C301",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari.nordmann@example.com",
        "phone": "+4791234567",
        "id_number": "01017000027",
        "address": {"address_line_1": "Storgata 5", "town_city": "Oslo", "postal_code": "0155", "country_code": "NOR"},
        "accounts": [("NOK", Decimal("0"), True)],
    },
]


def load() -> str:
    net7, _ = PaymentTerms.objects.get_or_create(name="Net 7", defaults={"days": 7})
    PaymentTerms.objects.get_or_create(name="Net 30", defaults={"days": 30})
    purchase, _ = Classification.objects.get_or_create(name="Delivery Purchase", defaults={"is_default": True})
    Classification.objects.get_or_create(name="Business")
    main_group, _ = Group.objects.get_or_create(name="Main Group", defaults={"code": "MAIN"})
    support, _ = Team.objects.get_or_create(name="Support")
    Team.objects.get_or_create(name="Field Service")

    User = get_user_model()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        admin = User.objects.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
        admin.first_name, admin.last_name = "Ada", "Admin"
        admin.save(update_fields=["first_name", "last_name"])
    support.members.add(admin)
    main_group.members.add(admin)

    created = 0
    for spec in CUSTOMERS:
        if Contact.objects.filter(code=spec["code"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("address", "accounts")}
        contact = services.create_contact(is_test=False, addresses=[{**spec["address"], "is_primary": True}], **fields)
        address = contact.addresses.first()
        for currency, balance, primary in spec["accounts"]:
            account = services.create_account(
                contact,
                currency_code=currency,
                is_primary=primary,
                classification=purchase,
                billing_address=address,
                payment_terms=net7,
                credit_limit=Decimal("500.00"),
            )
            if balance:
                account.balance = balance
                account.save(update_fields=["balance", "updated_on"])
        created += 1
    records = _customer_records()
    return f"{created} new contact(s), {records} new subscription(s); admin login {ADMIN_USERNAME} / {ADMIN_PASSWORD}"


SUBSCRIPTION_TYPES = [
    ("London", "LND", "For Subscribers residing in London"),
    ("Normal Subscription", "ST", ""),
]
# (number, contact code, currency of the account, type, state): seed 003's S60302 (create), S60105 (create with a
# fields_set) and S60052 (update, rendered as CANCELLED).
SUBSCRIPTIONS = [
    ("S60302", "C123", "EUR", "London", "EFFECTIVE"),
    ("S60105", "C123", "USD", "Normal Subscription", "EFFECTIVE"),
    ("S60052", "C124", "EUR", "Normal Subscription", "CANCELLED"),
]


def _customer_records() -> int:
    """The records the documents' examples name, made through the service staff use; skipped when present."""
    types = {}
    for name, code, description in SUBSCRIPTION_TYPES:
        types[name], _ = SubscriptionType.objects.get_or_create(
            name=name, defaults={"alternative_code": code, "description": description}
        )
    customers = {contact.code: contact for contact in Contact.objects.filter(code__in=["C123", "C124"])}
    if len(customers) < 2:
        return 0
    john, maria = customers["C123"], customers["C124"]
    made = 0
    for number, code, currency, type_name, state in SUBSCRIPTIONS:
        contact = customers[code]
        account = contact.accounts.filter(currency_code=currency).first()
        if account is None or Subscription.objects.filter(number=number).exists():
            continue
        subscription = services.save_record(
            Subscription(number=number, contact=contact, account=account, type=types[type_name])
        )
        # A cancelled subscription was effective first, as the life cycle has it.
        for step in dict.fromkeys(["EFFECTIVE", state]):
            services.change_record_state(subscription, step)
        made += 1
    # Seed 003's update example refers to lead 60; seed 004 shows a lead titled ASOS.
    if not Lead.objects.filter(number="60").exists():
        services.save_record(
            Lead(number="60", contact=maria, title="ASOS", description="Interested in the business broadband plan")
        )
    # Seed 004's activities show service request SRV78001 and order O101367.
    if not ServiceRequest.objects.filter(number="SRV78001").exists():
        services.save_record(
            ServiceRequest(
                number="SRV78001",
                contact=maria,
                description="The boiler loses pressure overnight.",
                address=maria.addresses.first(),
            )
        )
    if not Order.objects.filter(number="O101367").exists():
        services.save_record(
            Order(
                number="O101367",
                contact=john,
                account=john.accounts.filter(currency_code="EUR").first(),
                description="Router and installation for the London subscription.",
                address=john.addresses.first(),
            )
        )
    return made
