import hashlib
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import localize

from ..history import RecordHistory
from ..modes import ModeQuerySet


class ModeScopedModel(models.Model):
    """A record that belongs to live or test mode; a key of one mode never sees the other's."""

    is_test = models.BooleanField(default=False, db_index=True, help_text="Created through a test-mode API key.")

    objects = ModeQuerySet.as_manager()

    class Meta:
        abstract = True


class ReferenceData(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class PaymentTerms(ReferenceData):
    days = models.PositiveIntegerField(default=0, help_text="Days until an invoice falls due.")

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "payment terms"


class Classification(ReferenceData):
    is_default = models.BooleanField(default=False, help_text="Given to new accounts that name no classification.")

    class Meta(ReferenceData.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_classification"
            )
        ]


class Team(ReferenceData):
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)


class Group(ReferenceData):
    """The business unit that owns records (CRM.COM's `owned_by_group`), not a permission group."""

    code = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="owning_groups",
        blank=True,
        help_text="Users whose records this group owns unless they name another.",
    )

    class Meta(ReferenceData.Meta):
        verbose_name = "owning group"


class ContactType(models.TextChoices):
    PERSON = "PERSON", "Person"
    COMPANY = "COMPANY", "Company"


class Contact(ModeScopedModel):
    """The customer: a person or a company."""

    single_line_fields = ("code", "title", "first_name", "middle_name", "last_name", "company_name", "phone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="Optional external unique identifier."
    )
    contact_type = models.CharField(max_length=10, choices=ContactType, default=ContactType.PERSON)
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True)
    id_number = models.CharField(max_length=32, blank=True, db_index=True, help_text="National identity number.")
    org_number = models.CharField(max_length=32, blank=True, db_index=True, help_text="Organisation number.")
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(
        max_length=10, blank=True, choices=[("MALE", "Male"), ("FEMALE", "Female"), ("OTHER", "Other")]
    )
    preferred_language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1 code.")
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    updated_on = models.DateTimeField(auto_now=True)

    history = RecordHistory()

    class Meta:
        ordering = ["-created_on"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["company_name"]),
            models.Index(fields=["contact_type", "-created_on"]),
        ]

    def __str__(self):
        return self.full_name or self.code or str(self.id)

    @property
    def full_name(self) -> str:
        if self.contact_type == ContactType.COMPANY and self.company_name:
            return self.company_name
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)


class Address(models.Model):
    single_line_fields = ("address_line_1", "address_line_2", "state_province_county", "town_city", "postal_code")
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    address_type = models.CharField(
        max_length=10, default="HOME", choices=[("HOME", "Home"), ("BUSINESS", "Business"), ("BILLING", "Billing")]
    )
    is_primary = models.BooleanField(default=False)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    state_province_county = models.CharField(max_length=100, blank=True)
    town_city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country_code = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3.")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    google_place_id = models.CharField(max_length=200, blank=True)

    history = RecordHistory()

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-is_primary", "address_line_1"]

    def __str__(self):
        return ", ".join(p for p in (self.address_line_1, self.town_city, self.postal_code, self.country_code) if p)

    @property
    def lines(self) -> list[str]:
        """The address as printed on an envelope, one line each, empty parts left out."""
        locality = " ".join(p for p in (self.postal_code, self.town_city) if p)
        return [
            line
            for line in (
                self.address_line_1,
                self.address_line_2,
                locality,
                self.state_province_county,
                self.country_code,
            )
            if line
        ]


class AccountState(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"


class Account(ModeScopedModel):
    """A financial account of a contact: the ledger with its currency, balance and credit terms."""

    single_line_fields = ("name",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="accounts")
    number = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    is_primary = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=AccountState, default=AccountState.ACTIVE, db_index=True)
    currency_code = models.CharField(max_length=3, help_text="ISO 4217.")
    balance = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    overdue_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    credit_limit = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    payment_terms = models.ForeignKey(PaymentTerms, on_delete=models.PROTECT, null=True, blank=True)
    classification = models.ForeignKey(Classification, on_delete=models.PROTECT, null=True, blank=True)
    billing_address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="billed_accounts"
    )
    created_on = models.DateTimeField(default=timezone.now)
    updated_on = models.DateTimeField(auto_now=True)
    terminated_on = models.DateTimeField(null=True, blank=True, editable=False)
    transferred_balance = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text="The balance moved to another account when this one was terminated.",
    )
    transferred_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="transfers_received",
        help_text="The account that took the balance when this one was terminated.",
    )

    history = RecordHistory()

    class Meta:
        ordering = ["-created_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(is_primary=True), name="one_primary_account_per_contact"
            ),
            models.CheckConstraint(condition=Q(state__in=AccountState.values), name="account_state_valid"),
            # Seed 004: one account per currency; a terminated account no longer holds its currency.
            models.UniqueConstraint(
                fields=["contact", "currency_code"],
                condition=~Q(state=AccountState.TERMINATED),
                name="one_open_account_per_currency",
            ),
            models.CheckConstraint(condition=Q(currency_code__regex=r"^[A-Z]{3}$"), name="account_currency_iso"),
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0), name="account_credit_limit_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["contact", "-created_on"]),
            models.Index(fields=["currency_code"]),
            # The insights read accounts opened and terminated over a period.
            models.Index(fields=["created_on"], name="account_created"),
            models.Index(fields=["terminated_on"], condition=Q(terminated_on__isnull=False), name="account_terminated"),
        ]
        # Terminating is final, so it is a permission of its own (supervisors), apart from change.
        permissions = [("terminate_account", "Can terminate accounts")]

    def __str__(self):
        return self.name


class ApiKeyMode(models.TextChoices):
    LIVE = "live", "Live"
    TEST = "test", "Test"


class ApiKey(models.Model):
    """A secret an integrator sends; only its SHA-256 is kept, so a leaked database leaks no key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="The first characters of the key, to recognise it.")
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list, help_text="Scope names, e.g. backoffice.read.")
    mode = models.CharField(max_length=4, choices=ApiKeyMode, default=ApiKeyMode.LIVE)
    postal_accounts = models.JSONField(
        default=list, blank=True, help_text="Postal accounts whose letters this key may read."
    )
    requests_per_minute = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many requests a minute this key may make; blank for the default.",
    )
    created_on = models.DateTimeField(default=timezone.now)
    revoked_on = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateTimeField(null=True, blank=True)

    # Its use is no change to the key: last_used_on is written at most once a minute, apart from its history.
    history = RecordHistory(excluded_fields=["last_used_on"])

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_on"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @staticmethod
    def generate(mode: str) -> str:
        return f"{settings.API_KEY_PREFIX}_{mode}_{secrets.token_hex(24)}"

    @property
    def is_test(self) -> bool:
        return self.mode == ApiKeyMode.TEST

    @property
    def is_active(self) -> bool:
        return self.revoked_on is None


class LoginToken(models.Model):
    """A session token of the CRM.COM R-series family, issued by its login method."""

    hashed_token = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_tokens")
    created_on = models.DateTimeField(default=timezone.now)
    expires_on = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self):
        return f"login of {self.user} until {localize(timezone.localtime(self.expires_on))}"


class NumberSequence(models.Model):
    """The last human number handed out per series, so numbers are never reused."""

    name = models.CharField(max_length=64, primary_key=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.last_value}"


# Tables of their own modules, which build on the ones above (so they are imported last).
from .records import (  # noqa: E402
    CustomerRecord,
    Lead,
    LeadState,
    Order,
    OrderState,
    ServiceRequest,
    ServiceRequestState,
    Subscription,
    SubscriptionState,
    SubscriptionType,
)
from .users import UserIdentifier  # noqa: E402

__all__ = [
    "Account",
    "AccountState",
    "Address",
    "ApiKey",
    "ApiKeyMode",
    "Classification",
    "Contact",
    "ContactType",
    "CustomerRecord",
    "Group",
    "Lead",
    "LeadState",
    "LoginToken",
    "ModeScopedModel",
    "NumberSequence",
    "Order",
    "OrderState",
    "PaymentTerms",
    "ReferenceData",
    "ServiceRequest",
    "ServiceRequestState",
    "Subscription",
    "SubscriptionState",
    "SubscriptionType",
    "Team",
    "UserIdentifier",
]
