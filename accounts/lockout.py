"""Failed-login lock-outs, counted by django-axes for all three login paths (admin, v2, CRM.COM).

django-axes counts every failed `authenticate(request, ...)` per username and per client address, and refuses
either once it reaches AXES_FAILURE_LIMIT (config/settings.py). The API login views raise `LoginLockedOut`,
which each family words as its own 429; the admin shows its login page with the reason. Either way the caller
learns when to try again (`Retry-After`).
"""

import logging
import time

import redis
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.template.response import TemplateResponse

from .errors import TooManyRequests

log = logging.getLogger(__name__)


class LoginLockedOut(TooManyRequests):
    code = "LOGIN_LOCKED_OUT"

    def __init__(self):
        seconds = lockout_seconds()
        super().__init__(
            f"Too many failed logins for this username or from this address; try again in {seconds} s.",
            retry_after=seconds,
            parameters=["username"],
        )


def lockout_seconds() -> int:
    # Each refused try restarts the wait (axes: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so it is the whole.
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def is_locked_out(request) -> bool:
    """Whether django-axes refused (or just locked) the login tried in this request."""
    return bool(getattr(request, "axes_locked_out", False))


def client_address(request) -> str:
    """The caller's address: the connection's own, or behind TRUSTED_PROXY_COUNT proxies of ours the one the
    outermost of them saw (X-Forwarded-For, counted from the right: what a client writes there itself is left of it).
    """
    # A few lines rather than django-ipware: its default trusts headers any client can send.
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the admin's login page saying why; an API family's own 429
    (already in `original_response`) stays as it is."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.app_name != "admin":
        return original_response
    seconds = lockout_seconds()
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "form": AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")}),
        "lockout_message": (
            f"Too many failed logins for this username or from this address. Try again in {seconds // 60} minutes"
            if seconds >= 120
            else f"Too many failed logins for this username or from this address. Try again in {seconds} seconds"
        ),
    }
    response = TemplateResponse(request, "admin/login_locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response.render()


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before any password is looked at. Every login over the web passes its request and is
    counted; `authenticate()` without one (Django's test client `login()`, a script) is no caller to count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LoginAttemptsCache(RedisCache):
    """Django's Redis cache for django-axes' counts, which lets logins go on (uncounted) while Redis is down,
    rather than failing every login: the lock-out is a brake on guessing, the login is the service."""

    # After a failure Redis is not asked again for this long, so an outage costs no login a timeout each.
    PAUSE_SECONDS = 5.0
    _paused_until = 0.0

    def _tolerant(self, name: str, default, *args, **kwargs):
        if time.monotonic() < LoginAttemptsCache._paused_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except redis.RedisError as error:
            LoginAttemptsCache._paused_until = time.monotonic() + self.PAUSE_SECONDS
            log.warning("accounts.login_attempts_unavailable error=%s", error)
            return default

    def get(self, key, default=None, version=None):
        return self._tolerant("get", default, key, default, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: counted as this request's first failure, so a lost count never locks anyone out.
        return self._tolerant("add", True, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._tolerant("incr", 0, key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._tolerant("delete", False, key, version)
