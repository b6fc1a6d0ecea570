"""Kept-open SMTP connections: a batch, and a worker process from task to task, reuse them."""

import logging
import os
import smtplib
import socket
import threading
import time

from django.core.mail import mailers

log = logging.getLogger(__name__)

# A connection idle longer than this is checked (NOOP) before it carries another message.
IDLE_CHECK_SECONDS = 10


class MailerSession:
    """Open mailers by alias (and slot, for a batch's parallel connections), so a batch or a worker process
    reuses its SMTP connections from message to message.

    A connection left idle for a while is checked with NOOP before it is used again and replaced when
    the server has dropped it, so a stale connection never fails a message.
    """

    def __init__(self, idle_check_seconds: float = IDLE_CHECK_SECONDS):
        self._open: dict = {}
        self._last_used: dict = {}
        self.idle_check_seconds = idle_check_seconds

    def get(self, alias: str, slot: int = 0):
        key = (alias, slot)
        mailer = self._open.get(key)
        now = time.time()
        idle = mailer is not None and now - self._last_used[key] > self.idle_check_seconds
        if idle and not _answers(mailer):
            log.info("outbound.mailer_reconnect alias=%s", alias)
            self.discard(alias, slot)
            mailer = None
        if mailer is None:
            mailer = mailers[alias]
            mailer.open()
            _prepare_conversation(mailer)
            self._open[key] = mailer
        self._last_used[key] = now
        return mailer

    def discard(self, alias: str, slot: int = 0) -> None:
        mailer = self._open.pop((alias, slot), None)
        self._last_used.pop((alias, slot), None)
        if mailer is not None:
            try:
                mailer.close()
            except (OSError, smtplib.SMTPException):
                log.debug("outbound.mailer_close_failed alias=%s", alias)

    def close(self) -> None:
        for alias, slot in list(self._open):
            self.discard(alias, slot)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _prepare_conversation(mailer) -> None:
    smtp = getattr(mailer, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        return
    smtp.ehlo_or_helo_if_needed()
    # The final dot goes out alone, after the hand-off commit; Nagle's algorithm would hold it back until
    # the server acknowledges the text, which a delayed ACK puts off by up to 40 ms.
    if smtp.sock is not None and smtp.sock.family in (socket.AF_INET, socket.AF_INET6):
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _answers(mailer) -> bool:
    """Whether an open mailer's server still answers; mailers without a network connection always do."""
    smtp = getattr(mailer, "connection", None)
    if smtp is None:
        return True
    try:
        return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


_worker = threading.local()


def worker_session() -> MailerSession:
    """This worker's long-lived session: one per process and thread (a forked or threaded pool never shares one)."""
    pid = os.getpid()
    if getattr(_worker, "pid", None) != pid:
        _worker.pid, _worker.session = pid, MailerSession()
    return _worker.session
