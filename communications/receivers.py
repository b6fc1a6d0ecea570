"""What the communications app does when a lower app asks: staff notices go out through the outbound channel."""

from django.dispatch import receiver

from accounts.notices import staff_email

from .outbound import send_email


@receiver(staff_email, dispatch_uid="communications.staff_email")
def send_staff_email(sender, *, to, subject, body, is_test, source_type, source_id, **kwargs):
    send_email(to=[to], subject=subject, body=body, is_test=is_test, source_type=source_type, source_id=source_id)
