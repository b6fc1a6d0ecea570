"""Every user gets the GUID the APIs show them by, whichever way the user was made (admin, command, login); a
changed API key is forgotten by every process that kept it (accounts.key_cache)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import key_cache
from .models import ApiKey, UserIdentifier


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user_identifier")
def give_new_users_a_guid(sender, instance, created, **kwargs):
    if created:
        UserIdentifier.objects.get_or_create(user=instance)


@receiver(post_save, sender=ApiKey, dispatch_uid="accounts.api_key_changed")
@receiver(post_delete, sender=ApiKey, dispatch_uid="accounts.api_key_deleted")
def forget_cached_keys(sender, **kwargs):
    key_cache.forget_all()
