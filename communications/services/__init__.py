"""Writes and side effects of the communications app. Every entry point calls these."""

from .communications import complete_communication, create_communication, set_as_viewed, update_communication
from .outbound import send_again, send_email, send_sms
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
