"""Notification orders: the texts a notification must carry, and where each order will go, decided from the
recipient's contact details when the correspondence is created."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import Contact
from accounts.rules import e164_or_none

from ...errors.dispatches import MissingNotificationText
from ...models import (
    Dispatch,
    DispatchedCorrespondence,
    NotificationChannel,
    NotificationOrder,
    NotificationOrderStatus,
    NotificationState,
    NotificationTemplate,
)

MISSING_DETAILS = {NotificationChannel.EMAIL: "email address", NotificationChannel.SMS: "phone number"}


@dataclass(frozen=True)
class NotificationRequest:
    template: str
    channel: str = NotificationChannel.EMAIL
    email_subject: str = ""
    email_body: str = ""
    sms_body: str = ""
    send_reminder: bool = False
    reminder_channel: str = ""
    reminder_email_subject: str = ""
    reminder_email_body: str = ""
    reminder_sms_body: str = ""


def check_notification_texts(notification: NotificationRequest) -> None:
    """A custom message needs the texts of the channels it may use (Altinn's 3002–3007)."""
    if notification.template != NotificationTemplate.CUSTOM_MESSAGE:
        return
    needs = {
        NotificationChannel.EMAIL: ("email",),
        NotificationChannel.SMS: ("sms",),
        NotificationChannel.EMAIL_PREFERRED: ("email", "sms"),
        NotificationChannel.SMS_PREFERRED: ("email", "sms"),
        NotificationChannel.EMAIL_AND_SMS: ("email", "sms"),
    }
    checks = [("", notification.channel, False)]
    if notification.send_reminder:
        checks.append(("reminder", notification.reminder_channel or notification.channel, True))
    for prefix, channel, is_reminder in checks:
        texts = custom_texts(notification, is_reminder)
        email_missing = not (texts["email_subject"].strip() and texts["email_body"].strip())
        sms_missing = not texts["sms_body"].strip()
        kinds = needs[channel]
        words = "Reminder email body" if is_reminder else "Email body"
        if kinds == ("email", "sms") and (email_missing or sms_missing):
            kind = "reminder preferred" if is_reminder else "preferred"
            raise MissingNotificationText(
                f"{words}, subject and SMS body must be provided when sending {kind} notifications",
                error_code=3007 if is_reminder else 3006,
                field=f"correspondence.notification.{_camel(prefix, 'emailBody')}",
            )
        if kinds == ("email",) and email_missing:
            kind = "reminder email" if is_reminder else "email"
            raise MissingNotificationText(
                f"{words} and subject must be provided when sending {kind} notifications",
                error_code=3003 if is_reminder else 3002,
                field=f"correspondence.notification.{_camel(prefix, 'emailBody')}",
            )
        if kinds == ("sms",) and sms_missing:
            kind = "reminder SMS" if is_reminder else "SMS"
            raise MissingNotificationText(
                f"{'Reminder SMS' if is_reminder else 'SMS'} body must be provided when sending {kind} notifications",
                error_code=3005 if is_reminder else 3004,
                field=f"correspondence.notification.{_camel(prefix, 'smsBody')}",
            )


def _camel(prefix: str, name: str) -> str:
    return f"{prefix}{name[0].upper()}{name[1:]}" if prefix else name


def custom_texts(notification: NotificationRequest | Dispatch, is_reminder: bool) -> dict[str, str]:
    """The sender's own email subject, email body and SMS of the notification or of its reminder."""
    names = ("email_subject", "email_body", "sms_body")
    return {name: getattr(notification, f"reminder_{name}" if is_reminder else name) or "" for name in names}


def notification_fields(notification: NotificationRequest | None) -> dict:
    """The request's notification as the dispatch keeps it."""
    if notification is None:
        return {}
    return {
        "notification_template": notification.template,
        "notification_channel": notification.channel,
        "email_subject": notification.email_subject,
        "email_body": notification.email_body,
        "sms_body": notification.sms_body,
        "send_reminder": notification.send_reminder,
        "reminder_channel": (notification.reminder_channel or notification.channel)
        if notification.send_reminder
        else "",
        "reminder_email_subject": notification.reminder_email_subject,
        "reminder_email_body": notification.reminder_email_body,
        "reminder_sms_body": notification.reminder_sms_body,
    }


def _email_valid(raw: str) -> bool:
    try:
        validate_email(raw)
    except ValidationError:
        return False
    return True


def _channels_to_use(channel: str, *, has_email: bool, has_phone: bool) -> tuple[bool, bool]:
    """(by email, by SMS) for a channel, given which details the recipient has."""
    if channel == NotificationChannel.EMAIL:
        return has_email, False
    if channel == NotificationChannel.SMS:
        return False, has_phone
    if channel == NotificationChannel.EMAIL_PREFERRED:
        return has_email, has_phone and not has_email
    if channel == NotificationChannel.SMS_PREFERRED:
        return has_email and not has_phone, has_phone
    return has_email, has_phone


def new_order(
    dispatched: DispatchedCorrespondence, customer: Contact, channel: str, is_reminder: bool
) -> NotificationOrder:
    """The order for one recipient: where it will go, or why it cannot, decided from the customer's details now."""
    email, phone = customer.email.strip(), customer.phone.strip()
    by_email, by_sms = _channels_to_use(channel, has_email=bool(email), has_phone=bool(phone))
    order = NotificationOrder(
        dispatched_correspondence=dispatched, is_test=dispatched.is_test, is_reminder=is_reminder, channel=channel
    )
    if not (by_email or by_sms):
        order.status, order.state = NotificationOrderStatus.MISSING_CONTACT, NotificationState.NOT_SENT
        order.state_text = f"The recipient has no {MISSING_DETAILS.get(channel, 'email address or phone number')}"
        return order
    phone_e164 = e164_or_none(phone) if by_sms else None
    unusable = []
    if by_email and not _email_valid(email):
        unusable.append(f"email address {email!r}")
    if by_sms and phone_e164 is None:
        unusable.append(f"phone number {phone!r}")
    if unusable:
        order.status, order.state = NotificationOrderStatus.FAILURE, NotificationState.NOT_SENT
        order.state_text = f"The recipient's {' and '.join(unusable)} cannot be used"
        return order
    order.status = NotificationOrderStatus.SUCCESS
    order.email, order.phone = (email if by_email else ""), (phone_e164 or "")
    order.state_text = "Waiting for the correspondence to be published"
    return order
