"""Emails to staff (an activity assigned to them), sent through the product's outbound channel.

The channel belongs to the communications app, which accounts and activities never import: it connects its
sender to `staff_email` when it starts (communications/receivers.py).
"""

from django.dispatch import Signal

staff_email = Signal()


def email_staff(*, to: str, subject: str, body: str, is_test: bool, source_type: str, source_id: str) -> None:
    """Queue an email to a member of staff in the caller's transaction."""
    if not staff_email.has_listeners():
        raise RuntimeError("No outbound channel is connected to accounts.notices.staff_email.")
    staff_email.send(
        sender=None, to=to, subject=subject, body=body, is_test=is_test, source_type=source_type, source_id=source_id
    )
