"""The polling allowance: how often one caller may ask for the status of one reference per hour.

Seed 002 asks that a reference be queried at most once an hour. Each caller's queries are counted
per reference in the current clock hour; a request naming a reference past the allowance is refused
whole, naming those references, so nothing is dropped silently.

The counters live in Redis (POSTAL_POLL_REDIS_URL, by default REDIS_URL): one hash per caller, account,
mode and hour, one field per reference, all increments of a request made by one script in one round trip.
Without a Redis URL (the embedded default) they live in Django's cache.
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings
from django.core.cache import cache as django_cache

from accounts.errors import DomainError

log = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


class PollingAllowanceExceeded(DomainError):
    status = 429
    code = "POLLING_ALLOWANCE_EXCEEDED"

    def __init__(self, refs: list[str], allowance: int, retry_after: int):
        shown = ", ".join(refs[:10]) + (" …" if len(refs) > 10 else "")
        super().__init__(
            f"{len(refs)} reference(s) were already queried {allowance} time(s) this hour: {shown}. "
            f"Query each reference at most once an hour and drop references in a final state "
            f"(Lodged, Cancelled, Returned); try these again in {retry_after} s.",
            field="refs",
            parameters=refs,
        )
        self.details = {"refs": refs, "allowance": allowance, "retry_after": retry_after}


@dataclass(frozen=True)
class PollWindow:
    caller: str
    account: str
    is_test: bool
    hour: int

    @property
    def key(self) -> str:
        return f"postal:polls:{self.caller}:{'test' if self.is_test else 'live'}:{self.account}:{self.hour}"


# HINCRBY per reference, then EXPIRE, inside Redis: one command from us however many refs, and only the
# refs past the allowance come back. The refs travel as one newline-joined argument (refs hold no control
# characters): a pipeline, or even one argument per ref, costs more to encode in Python than the lookup.
COUNT_SCRIPT = """
local refs, allowance, over, start = ARGV[3], tonumber(ARGV[2]), {}, 1
while true do
    local stop = string.find(refs, "\\n", start, true)
    local ref = string.sub(refs, start, (stop or 0) - 1)
    if redis.call('HINCRBY', KEYS[1], ref, 1) > allowance then
        over[#over + 1] = ref
    end
    if not stop then break end
    start = stop + 1
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return over
"""


class RedisPollCounter:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)
        self.script = self.client.register_script(COUNT_SCRIPT)

    def count_over(self, window: PollWindow, refs: list[str], allowance: int) -> list[str]:
        """Count one more query of each ref; return those now past the allowance."""
        return self.script(keys=[window.key], args=[WINDOW_SECONDS + 60, allowance, "\n".join(refs)])


class CachePollCounter:
    """For a single process without Redis: not atomic across processes, which one process does not need."""

    def count_over(self, window: PollWindow, refs: list[str], allowance: int) -> list[str]:
        keys = [f"{window.key}:{hashlib.blake2b(ref.encode(), digest_size=16).hexdigest()}" for ref in refs]
        counts = django_cache.get_many(keys)
        updated = {key: counts.get(key, 0) + 1 for key in keys}
        django_cache.set_many(updated, timeout=WINDOW_SECONDS + 60)
        return [ref for ref, key in zip(refs, keys, strict=True) if updated[key] > allowance]


@cache
def _counter_for(url: str):
    return RedisPollCounter(url) if url else CachePollCounter()


def poll_counter():
    return _counter_for(settings.POSTAL_POLL_REDIS_URL)


def check_polling_allowance(*, caller: str, account: str, is_test: bool, refs: list[str], now: float) -> None:
    """Count this query of `refs`; raise PollingAllowanceExceeded if any is now past the allowance."""
    if not refs:
        return
    allowance = settings.POSTAL_POLL_ALLOWANCE
    window = PollWindow(caller, account, is_test, int(now) // WINDOW_SECONDS)
    try:
        over = poll_counter().count_over(window, refs, allowance)
    except redis.RedisError as error:
        # Counting is a courtesy to the service; an outage of it must not stop customers' status queries.
        log.warning("postal.poll_counter_unavailable error=%s", error)
        return
    if over:
        retry_after = WINDOW_SECONDS - int(now) % WINDOW_SECONDS
        log.info("postal.polling_allowance_exceeded caller=%s account=%s refs=%s", caller, account, len(over))
        raise PollingAllowanceExceeded(over, allowance, retry_after)
