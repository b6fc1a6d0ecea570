"""Every user gets the GUID the APIs show them by, whichever way the user was made (admin, command, login)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import UserIdentifier


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user_identifier")
def give_new_users_a_guid(sender, instance, created, **kwargs):
    if created:
        UserIdentifier.objects.get_or_create(user=instance)
