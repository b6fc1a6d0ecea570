"""Users as the API families show them: by a GUID, as every other record (seed 004's `assign_to.user_id`)."""

import uuid

from django.conf import settings
from django.db import models


class UserIdentifier(models.Model):
    """A user's GUID. Django's user keeps its whole-number key underneath; this row, made with every user, is what
    the APIs show and look users up by."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="identifier"
    )
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name="GUID")

    class Meta:
        verbose_name = "user identifier"

    def __str__(self):
        return f"The GUID of {self.user}"
