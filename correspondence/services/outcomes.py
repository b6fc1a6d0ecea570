"""What the outbound channel reports about the messages correspondence queued: the email of a letter, or a
notification of dispatched correspondence. Each message carries its source, so each finds its own record."""

from .dispatches.notify import NOTIFICATION_SOURCE, record_notification_outcome
from .letters.emailing import EMAIL_SOURCE_TYPE, record_email_failed, record_email_sent


def record_message_sent(message) -> None:
    if message.source_type == EMAIL_SOURCE_TYPE:
        record_email_sent(message.source_id, sent_on=message.sent_on)
    elif message.source_type == NOTIFICATION_SOURCE:
        record_notification_outcome(message.source_id, sent=True, when=message.sent_on)


def record_message_failed(message) -> None:
    if message.source_type == EMAIL_SOURCE_TYPE:
        record_email_failed(message.source_id, error=message.last_error)
    elif message.source_type == NOTIFICATION_SOURCE:
        record_notification_outcome(message.source_id, sent=False, error=message.last_error)
