"""What the outbound channel reports about the emails and SMS that carry letters."""

from communications.signals import message_failed, message_sent

from . import services
from .transports import SOURCE_TYPE


def letter_message_sent(sender, message, **kwargs) -> None:
    if message.source_type == SOURCE_TYPE:
        services.transport_sent(message.source_id, message.channel, message.sent_on)


def letter_message_failed(sender, message, **kwargs) -> None:
    if message.source_type == SOURCE_TYPE:
        services.transport_failed(message.source_id, message.channel, message.last_error)


def connect() -> None:
    message_sent.connect(letter_message_sent, dispatch_uid="postal.letter_message_sent")
    message_failed.connect(letter_message_failed, dispatch_uid="postal.letter_message_failed")
