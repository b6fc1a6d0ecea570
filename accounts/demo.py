"""Demo data: the reference names seed 004's examples use, staff logins, and customers with accounts."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from . import services
from .models import Classification, Contact, Group, PaymentTerms, Team

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
    Group.objects.get_or_create(name="Main Group", defaults={"code": "MAIN"})
    support, _ = Team.objects.get_or_create(name="Support")
    Team.objects.get_or_create(name="Field Service")

    User = get_user_model()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        admin = User.objects.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
        admin.first_name, admin.last_name = "Ada", "Admin"
        admin.save(update_fields=["first_name", "last_name"])
    support.members.add(admin)

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
    return f"{created} new contact(s); admin login {ADMIN_USERNAME} / {ADMIN_PASSWORD}"
