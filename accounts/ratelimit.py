"""Requests a minute per API key, as GOV.UK Notify limits its keys: past the key's limit, 429 until the minute ends.

One fixed window per key and clock minute, counted in Redis (RATE_LIMIT_REDIS_URL) with INCR and EXPIRE in one
pipeline: one round trip per request, the same one that checks the key (accounts.key_cache) when the process holds
the key already. Without Redis (the embedded default) nothing is counted and keys have no
limit. A key's limit is its own `requests_per_minute`, or API_KEY_REQUESTS_PER_MINUTE.
"""

import logging
import threading
import time
from functools import cache

import redis
from django.conf import settings

from .errors import TooManyRequests
from .models import ApiKey

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# This thread's request, counted while its key was checked: (counter key, count).
_counted_early = threading.local()


class RateLimitExceeded(TooManyRequests):
    code = "RATE_LIMITED"

    def __init__(self, limit: int, retry_after: int):
        super().__init__(
            f"This API key may make {limit} requests a minute; try again in {retry_after} s.",
            retry_after=retry_after,
            parameters=["requests_per_minute", str(limit)],
            limit=limit,
        )


class RedisMinuteCounter:
    # After Redis fails, it is not asked again for this long: an outage costs requests no timeout each.
    PAUSE_SECONDS = 5.0

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.paused_until = 0.0

    def count(self, key: str) -> int | None:
        """This request's number within its window, or None when Redis did not answer."""
        if time.monotonic() < self.paused_until:
            return None
        pipeline = self.client.pipeline(transaction=False)
        pipeline.incr(key).expire(key, WINDOW_SECONDS + 5)
        try:
            count, _ = pipeline.execute()
        except redis.RedisError as error:
            # The limit protects the service; an outage of its counter must not stop the service itself.
            self.paused_until = time.monotonic() + self.PAUSE_SECONDS
            log.warning("accounts.rate_limit_unavailable error=%s", error)
            return None
        return count


@cache
def _counter_for(url: str) -> RedisMinuteCounter | None:
    return RedisMinuteCounter(url) if url else None


def requests_per_minute(api_key: ApiKey) -> int:
    return api_key.requests_per_minute or settings.API_KEY_REQUESTS_PER_MINUTE


def window(api_key: ApiKey, now: float | None = None) -> tuple[str, int] | None:
    """The counter of this key's current minute and how long Redis keeps it; None when nothing is counted."""
    if not (settings.API_KEY_RATE_LIMIT and settings.RATE_LIMIT_REDIS_URL):
        return None
    minute = int(time.time() if now is None else now) // WINDOW_SECONDS
    return f"ratelimit:apikey:{api_key.pk}:{minute}", WINDOW_SECONDS + 5


def counted_early(counted: tuple[str, int] | None) -> None:
    """This thread's request was counted (counter key, count) on its way through authentication, or not (None)."""
    _counted_early.value = counted


def count_request(api_key: ApiKey, now: float | None = None) -> None:
    """Count one request of `api_key`; raise RateLimitExceeded when it is past the key's limit this minute."""
    counter = _counter_for(settings.RATE_LIMIT_REDIS_URL)
    if counter is None or not settings.API_KEY_RATE_LIMIT:
        return
    now = time.time() if now is None else now
    key, _ = window(api_key, now)
    early = getattr(_counted_early, "value", None)
    _counted_early.value = None
    count = early[1] if early is not None and early[0] == key else counter.count(key)
    limit = requests_per_minute(api_key)
    if count is not None and count > limit:
        if count == limit + 1:
            log.info("accounts.rate_limited key=%s limit=%s", api_key.prefix, limit)
        raise RateLimitExceeded(limit, WINDOW_SECONDS - int(now) % WINDOW_SECONDS)
