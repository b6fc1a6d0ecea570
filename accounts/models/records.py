"""A customer's records that the documents name without defining: subscriptions (of a financial account), leads,
service requests and orders.

Seed 003 shows them in full in a communication's `referring_to` and renders their fields into its text; seed 004
links activities to leads, service requests and orders. Neither document has endpoints for them: staff create
them in the admin, and the demo data holds the ones the examples name.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..history import RecordHistory
from . import Account, Address, Contact, ModeScopedModel


class SubscriptionType(models.Model):
    """What kind of subscription it is (seed 003: `type{name, alternative_code, description, id}`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)
    alternative_code = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# The life cycle states, in CRM.COM's words.


class SubscriptionState(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    EFFECTIVE = "EFFECTIVE", "Effective"
    NOT_EFFECTIVE = "NOT_EFFECTIVE", "Not effective (suspended)"
    CANCELLED = "CANCELLED", "Cancelled"


class LeadState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    WON = "WON", "Won"
    LOST = "LOST", "Lost"
    CANCELLED = "CANCELLED", "Cancelled"


class ServiceRequestState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    RESPONDED = "RESPONDED", "Responded"
    TEMPORARY_RESOLVED = "TEMPORARY_RESOLVED", "Temporarily resolved"
    FINAL_RESOLVED = "FINAL_RESOLVED", "Finally resolved"
    COMPLETED = "COMPLETED", "Completed"
    CANCELLED = "CANCELLED", "Cancelled"


class OrderState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    NEW = "NEW", "New"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    COMPLETED = "COMPLETED", "Completed"
    CANCELLED = "CANCELLED", "Cancelled"


class CustomerRecord(ModeScopedModel):
    """What the four kinds share: a GUID, a number the system assigns when left blank (never reused), a life cycle
    state and its dates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=32, unique=True)
    created_on = models.DateTimeField(default=timezone.now, editable=False)
    updated_on = models.DateTimeField(auto_now=True)
    closed_on = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it reached a state it never leaves."
    )

    class Meta:
        abstract = True
        ordering = ["-created_on"]

    def __str__(self):
        return self.number


class Subscription(CustomerRecord):
    """A contact's subscription, billed to one of their financial accounts (CRM.COM's `accounts_receivable`)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="subscriptions", db_index=False)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        help_text="The financial account it is billed to; one of the contact's.",
    )
    type = models.ForeignKey(SubscriptionType, on_delete=models.PROTECT, null=True, blank=True)
    state = models.CharField(max_length=16, choices=SubscriptionState, default=SubscriptionState.DRAFT)
    effective_on = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it first became effective."
    )

    history = RecordHistory()

    class Meta(CustomerRecord.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SubscriptionState.values), name="subscription_state_valid")
        ]
        indexes = [models.Index(fields=["contact", "-created_on"], name="subscription_contact")]


class Lead(CustomerRecord):
    """A chance of a sale to a contact; seed 004 shows it by its title, seed 003 by number and description."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="leads", db_index=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=LeadState, default=LeadState.PENDING)

    history = RecordHistory()

    class Meta(CustomerRecord.Meta):
        constraints = [models.CheckConstraint(condition=Q(state__in=LeadState.values), name="lead_state_valid")]
        indexes = [models.Index(fields=["contact", "-created_on"], name="lead_contact")]

    def __str__(self):
        return f"{self.number} {self.title}"


class ServiceRequest(CustomerRecord):
    """Something a contact asked the business to look into or fix."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="service_requests", db_index=False)
    description = models.TextField(blank=True)
    address = models.ForeignKey(
        Address,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the work is; an activity for it may take this address (use_entity_address).",
    )
    state = models.CharField(max_length=20, choices=ServiceRequestState, default=ServiceRequestState.PENDING)

    history = RecordHistory()

    class Meta(CustomerRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ServiceRequestState.values), name="service_request_state_valid"
            )
        ]
        indexes = [models.Index(fields=["contact", "-created_on"], name="service_request_contact")]


class Order(CustomerRecord):
    """A contact's order of goods or services, optionally placed against one of their financial accounts."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="orders", db_index=False)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        help_text="The financial account it is charged to; one of the contact's.",
    )
    description = models.TextField(blank=True)
    address = models.ForeignKey(
        Address,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where it is delivered; an activity for it may take this address (use_entity_address).",
    )
    state = models.CharField(max_length=16, choices=OrderState, default=OrderState.NEW)

    history = RecordHistory()

    class Meta(CustomerRecord.Meta):
        constraints = [models.CheckConstraint(condition=Q(state__in=OrderState.values), name="order_state_valid")]
        indexes = [models.Index(fields=["contact", "-created_on"], name="order_contact")]
