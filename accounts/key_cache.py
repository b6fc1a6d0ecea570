"""API keys found once and kept in this process for a while, so a request costs no key lookup in PostgreSQL.

Every change to any key (revoked, scopes or limit edited, deleted) forgets this process's keys at once and moves
a version number in Redis (RATE_LIMIT_REDIS_URL); every process reads that number with each request it
authenticates (one GET, a tenth of the lookup it replaces) and forgets its keys when it moved, so a revoke takes
effect everywhere with the next request. When Redis cannot be read, or there is none (the embedded default),
a key is kept at most API_KEY_CACHE_SECONDS: the longest a revoked key can still be accepted by another process.
"""

import logging
import threading
import time

import redis
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

VERSION_KEY = "apikeys:version"


class _Versions:
    """The version of all keys in Redis; None when Redis is not configured or is not answering."""

    # After Redis fails, it is not asked again for this long: an outage costs requests no timeout each.
    PAUSE_SECONDS = 5.0

    def __init__(self):
        self.url = None
        self.client = None
        self.paused_until = 0.0

    def _client(self):
        url = settings.RATE_LIMIT_REDIS_URL
        if url != self.url:
            self.url = url
            self.paused_until = 0.0
            self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5) if url else None
        return self.client

    def _call(self, method: str, *args):
        client = self._client()
        if client is None or time.monotonic() < self.paused_until:
            return None
        try:
            return getattr(client, method)(*args)
        except redis.RedisError as error:
            self.paused_until = time.monotonic() + self.PAUSE_SECONDS
            log.warning("accounts.key_cache_version_unavailable error=%s", error)
            return None

    def read(self) -> bytes | None:
        if self._client() is None:
            return None
        version = self._call("get", VERSION_KEY)
        return version if version is not None or time.monotonic() < self.paused_until else b"0"

    def move(self) -> None:
        self._call("incr", VERSION_KEY)


_versions = _Versions()
_lock = threading.Lock()
# hashed key -> (monotonic time it expires, what was found)
_found: dict[str, tuple[float, object]] = {}
_seen_version: bytes | None = None


def cached(hashed_key: str):
    """What was found for this key, if this process still holds it, else None."""
    global _seen_version
    if settings.API_KEY_CACHE_SECONDS <= 0:
        return None
    version = _versions.read()
    if version is not None and version != _seen_version:
        with _lock:
            _found.clear()
            _seen_version = version
    entry = _found.get(hashed_key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def keep(hashed_key: str, value) -> None:
    if settings.API_KEY_CACHE_SECONDS <= 0:
        return
    with _lock:
        _found[hashed_key] = (time.monotonic() + settings.API_KEY_CACHE_SECONDS, value)


def forget_all() -> None:
    """A key changed: this process forgets its keys now, the others with their next request (and, in case one
    read the key between the change and its commit, again once it is committed)."""
    with _lock:
        _found.clear()
    _versions.move()
    transaction.on_commit(_versions.move)
