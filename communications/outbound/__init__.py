"""The outbound channels: the one way out for every email and SMS the product sends.

Other apps send through `communications.services.send_email` / `send_sms`; this package is how those
messages leave, and what the communications app's own tasks, command and admin call. The guarantee is
at-most-once; docs/communications.md explains why and how. One module per job:

    send.py           send_email, send_sms: the rows, written in the caller's transaction
    wake_ups.py       waking a worker after commit, at most one waiting wake-up per channel (Redis)
    connections.py    kept-open SMTP connections per batch and per worker process
    claim.py          claiming a batch of due rows in one statement (SKIP LOCKED)
    batch.py          send_due: a claimed batch handed to its channels, hand-off markers and outcomes kept
    channel.py        what every channel shares; email_channel.py (pipelined SMTP), sms_channel.py
    mime.py           an email's bytes; sms_gateways.py the SMS gateway interface
    outcomes.py       writing outcomes (one statement on PostgreSQL) and announcing them
    recovery.py       sweep: rows a dead worker abandoned, rows no worker was woken for
    send_again.py     staff's "send again" of a failed message
"""

from .batch import answer_wake_up, send_due, send_one
from .connections import MailerSession, worker_session
from .recovery import sweep
from .send import send_email, send_sms
from .send_again import send_again

__all__ = [
    "MailerSession",
    "answer_wake_up",
    "send_again",
    "send_due",
    "send_email",
    "send_one",
    "send_sms",
    "sweep",
    "worker_session",
]
