"""What the outbound channel tells correspondence: a message it queued was accepted, or failed for good."""

from django.dispatch import receiver

from communications.signals import message_failed, message_sent

from . import services


@receiver(message_sent, dispatch_uid="correspondence.email_sent")
def on_message_sent(sender, message, **kwargs):
    services.record_message_sent(message)


@receiver(message_failed, dispatch_uid="correspondence.email_failed")
def on_message_failed(sender, message, **kwargs):
    services.record_message_failed(message)
