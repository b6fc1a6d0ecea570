"""What the outbound channel tells correspondence: an email of a delivery was accepted, or failed for good;
a notification of dispatched correspondence was sent, or failed."""

from django.dispatch import receiver

from communications.signals import message_failed, message_sent

from . import services


@receiver(message_sent, dispatch_uid="correspondence.email_sent")
def on_message_sent(sender, message, **kwargs):
    if message.source_type == services.EMAIL_SOURCE_TYPE:
        services.record_email_sent(message.source_id, sent_on=message.sent_on)
    elif message.source_type == services.NOTIFICATION_SOURCE:
        services.record_notification_outcome(message.source_id, sent=True, when=message.sent_on)


@receiver(message_failed, dispatch_uid="correspondence.email_failed")
def on_message_failed(sender, message, **kwargs):
    if message.source_type == services.EMAIL_SOURCE_TYPE:
        services.record_email_failed(message.source_id, error=message.last_error)
    elif message.source_type == services.NOTIFICATION_SOURCE:
        services.record_notification_outcome(message.source_id, sent=False, error=message.last_error)
