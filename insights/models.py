import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import ApiKey, ModeScopedModel
from accounts.selectors import user_guid

from .definition import DEFAULT_LIMIT, MAX_LIMIT, Definition


class Insight(ModeScopedModel):
    """A saved chart of business events: which events and how they are measured, filtered and broken down.

    The events, filters and breakdowns are kept as the lists the API shows; they are checked by
    `insights.definition` before every write, so a stored insight always runs."""

    single_line_fields = ("name",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    description = models.TextField(null=True, blank=True)
    events = models.JSONField(default=list, blank=True, help_text="[{event, measurement, name}], 1 to 5.")
    filters = models.JSONField(default=list, blank=True, help_text="[{property, operator, values}], all must hold.")
    breakdowns = models.JSONField(default=list, blank=True, help_text="Up to two property names.")
    breakdown_limit = models.PositiveSmallIntegerField(
        default=DEFAULT_LIMIT, validators=[MinValueValidator(1), MaxValueValidator(MAX_LIMIT)]
    )
    created_on = models.DateTimeField(default=timezone.now, editable=False)
    updated_on = models.DateTimeField(auto_now=True)
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_by_key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["-created_on"]
        indexes = [
            models.Index(fields=["is_test", "created_on", "id"], name="insight_created"),
            models.Index(fields=["is_test", "updated_on", "id"], name="insight_updated"),
            models.Index(fields=["is_test", "name", "id"], name="insight_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def definition(self) -> Definition:
        return Definition.stored(self.events, self.filters, self.breakdowns, self.breakdown_limit)

    @property
    def created_by(self) -> dict | None:
        if self.created_by_key_id:
            return {"id": str(self.created_by_key_id), "name": self.created_by_key.name}
        if self.created_by_user_id:
            user = self.created_by_user
            return {"id": str(user_guid(user)), "name": user.get_full_name() or user.get_username()}
        return None
