"""Who is calling: an API key or a logged-in user, with its scopes and mode."""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import jwt
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from . import key_cache, ratelimit
from .lockout import LoginLockedOut, is_locked_out
from .models import ApiKey, LoginToken
from .scopes import ALL_SCOPES, normalise

log = logging.getLogger(__name__)

# last_used_on is written at most this often per key, so busy keys cost no write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Credential:
    """What authentication found: the scopes it grants, its mode and the postal accounts it may read."""

    scopes: frozenset[str]
    is_test: bool = False
    postal_accounts: frozenset[str] = field(default_factory=frozenset)
    api_key: ApiKey | None = None
    user: object = None

    def has_scope(self, scope: str) -> bool:
        return normalise(scope) in self.scopes


def credential_for_user(user) -> Credential:
    # A staff login acts on live data with every scope; API keys are how access is narrowed.
    return Credential(scopes=frozenset(ALL_SCOPES), user=user)


def credential_for_api_key(raw_key: str) -> Credential | None:
    hashed = ApiKey.hash(raw_key)
    credential, counted = key_cache.cached(hashed, counter=lambda held: ratelimit.window(held.api_key))
    ratelimit.counted_early(counted)
    if credential is None:
        key = ApiKey.objects.filter(hashed_key=hashed, revoked_on__isnull=True).first()
        if key is None:
            return None
        credential = Credential(
            scopes=frozenset(normalise(s) for s in key.scopes),
            is_test=key.is_test,
            postal_accounts=frozenset(key.postal_accounts),
            api_key=key,
        )
        key_cache.keep(hashed, credential)
    key = credential.api_key
    now = timezone.now()
    if key.last_used_on is None or key.last_used_on < now - LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_on=now)
        key.last_used_on = now
    return credential


def check_password(request, username: str, password: str):
    """The active user these credentials name, or None. Every failure counts towards the lock-out of the username
    and of the caller's address (django-axes); past it, `LoginLockedOut` even for the right password.

    `request` is Django's HttpRequest (a DRF view passes `request._request`)."""
    user = authenticate(request, username=username, password=password)
    if is_locked_out(request):
        log.warning("accounts.login_locked_out path=%s", request.path)
        raise LoginLockedOut()
    return user if user is not None and user.is_active else None


JWT_AUDIENCE = "backoffice"


def issue_jwt(user) -> tuple[str, int]:
    now = timezone.now()
    lifetime = settings.JWT_LIFETIME
    claims = {
        "iss": settings.JWT_ISSUER,
        "sub": str(user.pk),
        "aud": JWT_AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm="HS256"), int(lifetime.total_seconds())


def user_for_jwt(token: str):
    from django.contrib.auth import get_user_model

    for key in (settings.JWT_SIGNING_KEY, *settings.JWT_SIGNING_KEY_FALLBACKS):
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["HS256"],
                audience=JWT_AUDIENCE,
                issuer=settings.JWT_ISSUER,
                options={"require": ["iss", "sub", "aud", "exp"]},
            )
        except jwt.InvalidSignatureError:
            continue  # perhaps signed with a key being rotated out: try the next one
        except jwt.PyJWTError:
            return None
        return get_user_model().objects.filter(pk=claims["sub"], is_active=True).first()
    return None


def issue_login_token(user) -> str:
    token = secrets.token_hex(16).upper()
    LoginToken.objects.create(
        hashed_token=ApiKey.hash(token), user=user, expires_on=timezone.now() + settings.LOGIN_TOKEN_LIFETIME
    )
    return token


def user_for_login_token(token: str):
    login = (
        LoginToken.objects.select_related("user")
        .filter(hashed_token=ApiKey.hash(token), expires_on__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return login.user if login else None
