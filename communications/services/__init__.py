"""Writes and side effects of the communications app. Every entry point calls these; other apps send email
and SMS through `send_email` / `send_sms` here."""

from communications.outbound import send_again, send_email, send_sms

from .communications import complete_communication, create_communication, set_as_viewed, update_communication
from .queue import enqueue, process_entry, reject_entry, remove_entry

__all__ = [
    "complete_communication",
    "create_communication",
    "enqueue",
    "process_entry",
    "reject_entry",
    "remove_entry",
    "send_again",
    "send_email",
    "send_sms",
    "set_as_viewed",
    "update_communication",
]
