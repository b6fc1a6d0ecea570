"""Django's PostgreSQL backend, with the health check of a kept connection asked of the socket first.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before each request's first query on a kept connection: one more
round trip for every request. A connection the server ended (a restart, an administrator, an idle timeout) has been
sent its end while it sat idle, so its socket has something to read; a live one has nothing until it asks. So the
socket is asked first, without waiting, and only a connection with something to read gets Django's check (and is
closed if it fails it). bench/README.md, "The ninth round".
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        due = self.connection is not None and self.health_check_enabled and not self.health_check_done
        if due and not _has_something_to_read(self.connection):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def _has_something_to_read(connection) -> bool:
    """An idle connection's socket is readable only when the server has sent it something unasked: its end."""
    try:
        waiting = select.poll()
        waiting.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return bool(waiting.poll(0))
    except (OSError, ValueError, AttributeError):  # closed, or no socket to ask: let Django's check decide
        return True
