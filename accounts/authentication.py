"""DRF authentication classes, one per way a family's callers present credentials."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .actors import act_as_caller
from .credentials import credential_for_api_key, credential_for_user, user_for_jwt, user_for_login_token


def _bearer(request) -> str | None:
    header = get_authorization_header(request).decode("latin-1").strip()
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    # The seed's own examples send the bare token in `authorization`, without the scheme.
    return header if not value else None


def _acting(request, user, credential):
    """The rest of the request acts as this caller, in the family of the view it reached."""
    act_as_caller(request, credential)
    return (user, credential)


class ApiKeyHeaderAuthentication(BaseAuthentication):
    """`api_key: <key>` header (back-office v2)."""

    def authenticate(self, request):
        raw = request.headers.get("api-key") or request.headers.get("api_key")
        if not raw:
            return None
        credential = credential_for_api_key(raw.strip())
        if credential is None:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        return _acting(request, None, credential)

    def authenticate_header(self, request):
        return "api_key"


class BearerJWTAuthentication(BaseAuthentication):
    """`Authorization: Bearer <JWT>` from the back-office login."""

    def authenticate(self, request):
        token = _bearer(request)
        if not token:
            return None
        user = user_for_jwt(token)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return _acting(request, user, credential_for_user(user))

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer <api key>`."""

    def authenticate(self, request):
        token = _bearer(request)
        if not token:
            return None
        credential = credential_for_api_key(token)
        if credential is None:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        return _acting(request, None, credential)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenParameterAuthentication(BaseAuthentication):
    """The CRM.COM R-series `token` parameter: a login token, or an API key passed as the token."""

    def authenticate(self, request):
        token = request.query_params.get("token")
        if not token and request.method not in ("GET", "HEAD", "OPTIONS"):
            data = request.data
            token = data.get("token") if hasattr(data, "get") else None
        if not token or not isinstance(token, str):
            return None
        # API keys carry their prefix, login tokens are bare hex: one lookup per request, not two.
        if not token.startswith(f"{settings.API_KEY_PREFIX}_"):
            user = user_for_login_token(token)
            if user is not None:
                return _acting(request, user, credential_for_user(user))
        credential = credential_for_api_key(token)
        if credential is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return _acting(request, None, credential)

    def authenticate_header(self, request):
        return "token"
