"""API keys found once and kept in this process for a while, so a request costs no key lookup in PostgreSQL.

Every change to any key (revoked, scopes or limit edited, deleted) forgets this process's keys at once and moves
a version number in Redis (RATE_LIMIT_REDIS_URL); every process reads that number with each request it
authenticates (one GET, a tenth of the lookup it replaces) and forgets its keys when it moved, so a revoke takes
effect everywhere with the next request. When Redis cannot be read, or there is none (the embedded default),
a key is kept at most API_KEY_CACHE_SECONDS: the longest a revoked key can still be accepted by another process.

A key this process holds may name a counter (the rate limit's) to be incremented in the same round trip as the
version read, so a request with a kept key costs one round trip to Redis, not two.
"""

import logging
import threading
import time
from collections.abc import Callable

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

    def _unavailable(self, error: redis.RedisError) -> None:
        self.paused_until = time.monotonic() + self.PAUSE_SECONDS
        log.warning("accounts.key_cache_version_unavailable error=%s", error)

    def read(self, counter: tuple[str, int] | None = None) -> tuple[bytes | None, int | None]:
        """The version, and the count of `counter` (its key and lifetime in seconds) after incrementing it in the
        same round trip; None for what Redis did not answer."""
        client = self._client()
        if client is None or time.monotonic() < self.paused_until:
            return None, None
        try:
            if counter is None:
                return client.get(VERSION_KEY) or b"0", None
            name, seconds = counter
            pipeline = client.pipeline(transaction=False)
            pipeline.get(VERSION_KEY).incr(name).expire(name, seconds)
            version, count, _ = pipeline.execute()
            return version or b"0", count
        except redis.RedisError as error:
            self._unavailable(error)
            return None, None

    def move(self) -> None:
        client = self._client()
        if client is None or time.monotonic() < self.paused_until:
            return
        try:
            client.incr(VERSION_KEY)
        except redis.RedisError as error:
            self._unavailable(error)


_versions = _Versions()
_lock = threading.Lock()
# hashed key -> (monotonic time it expires, what was found)
_found: dict[str, tuple[float, object]] = {}
_seen_version: bytes | None = None


def cached(hashed_key: str, counter: Callable[[object], tuple[str, int] | None] | None = None):
    """What was found for this key, if this process still holds it (else None); and, when the counter that
    `counter(what was found)` names was counted on the way, its key and count (else None)."""
    global _seen_version
    if settings.API_KEY_CACHE_SECONDS <= 0:
        return None, None
    entry = _found.get(hashed_key)
    held = entry[1] if entry is not None and entry[0] >= time.monotonic() else None
    named = counter(held) if held is not None and counter is not None else None
    version, count = _versions.read(named)
    if version is not None and version != _seen_version:
        with _lock:
            _found.clear()
            _seen_version = version
        held = None
    return held, (named[0], count) if count is not None else None


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
