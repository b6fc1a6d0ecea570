import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.formats import localize

from accounts.history import ActedBy, RecordHistory
from accounts.models import Address, Contact, Lead, ModeScopedModel, Order, ServiceRequest, Team

hex_colour = RegexValidator(r"^#?(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$", "Give a hex colour such as 876FD5 or #0000FF.")


class ActivityType(ModeScopedModel):
    """What kind of work an activity is (a site visit, a call), with the colour calendars show it in."""

    single_line_fields = ("name",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    color = models.CharField(max_length=7, blank=True, validators=[hex_colour], help_text="Hex code, e.g. 876FD5.")

    history = RecordHistory()

    class Meta:
        ordering = ["name"]
        # `Call` and `call` are one type: the names are compared whatever their case, as the service compares them.
        constraints = [
            models.UniqueConstraint("is_test", Lower("name"), name="activity_type_name_unique_per_mode_any_case")
        ]

    def __str__(self):
        # Live and test types share names; every pick-list tells them apart.
        return f"{self.name} (test)" if self.is_test else self.name


class Tag(ModeScopedModel):
    single_line_fields = ("name",)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, blank=True, validators=[hex_colour], help_text="Hex code, e.g. #0000FF.")

    history = RecordHistory()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("is_test", Lower("name"), name="tag_name_unique_per_mode_any_case")]

    def __str__(self):
        return f"{self.name} (test)" if self.is_test else self.name


class CustomFieldDefinition(models.Model):
    """A key activities may carry a value for; staff define the keys, integrators only fill them in."""

    key = models.SlugField(max_length=64, unique=True, help_text="The key integrators send, e.g. back_office.")
    label = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "custom field"

    def __str__(self):
        return self.key


class ActivityState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    COMPLETED = "COMPLETED", "Completed"
    CANCELLED = "CANCELLED", "Cancelled"


class LinkType(models.TextChoices):
    """The contact's records an activity may be for, besides the contact itself (seed 004's `linked_to`)."""

    LEAD = "LEAD", "Lead"
    SERVICE_REQUEST = "SERVICE_REQUEST", "Service request"
    ORDER = "ORDER", "Order"


class Activity(ModeScopedModel):
    single_line_fields = ("name",)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(null=True, blank=True)
    # The foreign keys below lead composite indexes (see Meta), which also serve their own lookups.
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="activities", db_index=False)
    state = models.CharField(max_length=10, choices=ActivityState, default=ActivityState.PENDING)
    scheduled_from = models.DateTimeField()
    scheduled_to = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateTimeField(null=True, blank=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="activities", db_index=False)
    address = models.ForeignKey(Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities")
    # At most one of the contact's leads, service requests and orders (see Meta); indexed there.
    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", db_index=False
    )
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", db_index=False
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="activities", db_index=False
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        db_index=False,
    )
    assigned_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities", db_index=False
    )
    tags = models.ManyToManyField(Tag, related_name="activities", blank=True)
    created_on = models.DateTimeField(default=timezone.now, editable=False)
    updated_on = models.DateTimeField(auto_now=True)

    history = RecordHistory()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["scheduled_from"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ActivityState.values), name="activity_state_valid"),
            models.CheckConstraint(
                condition=Q(scheduled_to__isnull=True) | Q(scheduled_to__gte=models.F("scheduled_from")),
                name="activity_scheduled_to_not_before_from",
                violation_error_message="The schedule cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(lead__isnull=True, service_request__isnull=True)
                | Q(lead__isnull=True, order__isnull=True)
                | Q(service_request__isnull=True, order__isnull=True),
                name="activity_linked_to_one_record_at_most",
                violation_error_message="An activity is for at most one lead, service request or order.",
            ),
        ]
        # An index behind every list filter and sort: a filter's column leads (serving its foreign-key
        # lookups too), then the mode, then the default order, read backwards for DESC.
        indexes = [
            models.Index(fields=["is_test", "created_on", "id"], name="activity_created"),
            models.Index(fields=["is_test", "updated_on", "id"], name="activity_updated"),
            models.Index(fields=["is_test", "name", "id"], name="activity_name"),
            # Without the mode: the admin's calendar reads both modes in this order.
            models.Index(fields=["scheduled_from", "id"], name="activity_scheduled"),
            models.Index(fields=["state", "is_test", "created_on", "type"], name="activity_state"),
            models.Index(fields=["type", "is_test", "created_on"], name="activity_type"),
            models.Index(fields=["contact", "is_test", "created_on"], name="activity_contact"),
            # The work queues (a team's or a user's pending work), in date order with or without a type.
            models.Index(fields=["assigned_user", "is_test", "state", "created_on", "type"], name="activity_user"),
            models.Index(fields=["assigned_team", "is_test", "state", "created_on", "type"], name="activity_team"),
            # Of one type (a team's pending visits): the page is the first rows of a range read backwards, where
            # the indexes above filter every entry of the state; paging.total is counted from an index of the
            # filters alone, whose equal entries PostgreSQL keeps as one, a few pages for thousands of rows.
            models.Index(
                fields=["assigned_user", "is_test", "state", "type", "created_on", "id"], name="activity_user_type"
            ),
            models.Index(
                fields=["assigned_team", "is_test", "state", "type", "created_on", "id"], name="activity_team_type"
            ),
            models.Index(fields=["assigned_user", "is_test", "state", "type"], name="activity_user_type_count"),
            models.Index(fields=["assigned_team", "is_test", "state", "type"], name="activity_team_type_count"),
            *(
                models.Index(
                    fields=[link, "is_test", "created_on"], condition=Q(**{f"{link}__isnull": False}), name=name
                )
                for link, name in (
                    ("lead", "activity_lead"),
                    ("service_request", "activity_service_request"),
                    ("order", "activity_order"),
                )
            ),
            models.Index(
                fields=["is_test", "completed_on"], condition=Q(completed_on__isnull=False), name="activity_completed"
            ),
            # Pending work by when it falls due: the overdue report reads only this.
            models.Index(
                Coalesce("scheduled_to", "scheduled_from"),
                "is_test",
                condition=Q(state="PENDING"),
                name="activity_pending_due",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def due_on(self):
        return self.scheduled_to or self.scheduled_from

    @property
    def linked(self) -> Lead | ServiceRequest | Order | None:
        """The lead, service request or order the activity is for, if any."""
        return self.lead or self.service_request or self.order


class ActivityStateChange(ActedBy):
    """One step of an activity's state history: the state it reached, when, and who or what moved it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="state_history")
    state = models.CharField(max_length=10, choices=ActivityState)
    date = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, default="", help_text="What came of it, written when it was completed.")

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["activity", "date"]),
            # The insights read activities cancelled over a period from the history.
            models.Index(fields=["date"], condition=Q(state="CANCELLED"), name="activity_cancelled_on"),
        ]

    def __str__(self):
        return f"{self.get_state_display()} on {localize(timezone.localtime(self.date))}"


class CustomFieldValue(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="custom_field_values")
    definition = models.ForeignKey(CustomFieldDefinition, on_delete=models.PROTECT, related_name="values")
    value = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["definition__key"]
        constraints = [models.UniqueConstraint(fields=["activity", "definition"], name="one_value_per_custom_field")]
        indexes = [models.Index(fields=["definition", "value"], name="custom_field_value_lookup")]

    def __str__(self):
        return f"{self.definition.key}={self.value}"
