"""The access matrix's routes, how each family hands over a key, and what every refusal body is checked for."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.authentication import ApiKeyHeaderAuthentication, BearerApiKeyAuthentication, TokenParameterAuthentication

# What an error body must never carry: a stack trace or the server's file layout.
LEAKS = re.compile(r"Traceback|File \"/|site-packages|psycopg|django\.db", re.IGNORECASE)


def assert_nothing_leaked(response, *secrets: str):
    body = response.content.decode()
    assert not LEAKS.search(body), body
    for secret in secrets:
        assert secret not in body, f"{secret!r} leaked in {body}"


OPEN_ROUTES = {"healthz", "schema", "swagger-ui", "backoffice-login", "crm-login"}


def present(key: str):
    """How each family's callers hand over an API key: as keyword arguments for the test client."""

    def api_key_header(method, url):
        return {"path": url, "HTTP_API_KEY": key}

    def bearer(method, url):
        return {"path": url, "HTTP_AUTHORIZATION": f"Bearer {key}"}

    def token_parameter(method, url):
        return {"path": f"{url}{'&' if '?' in url else '?'}token={key}"}

    return {
        ApiKeyHeaderAuthentication: api_key_header,
        BearerApiKeyAuthentication: bearer,
        TokenParameterAuthentication: token_parameter,
    }


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: type

    @property
    def family(self) -> str:
        return self.view.scope_family

    def reads(self, method: str) -> bool:
        """GETs read; so does a POST whose view asks only for the read scope (an insight's preview or export)."""
        return method == "get" or getattr(self.view, "required_scope", "").endswith(".read")

    @property
    def methods(self) -> list[str]:
        return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(self.view, m)]

    def url(self, pk: str | None = None) -> str:
        return "/" + re.sub(r"<(?:\w+:)?\w+>", pk or str(uuid.uuid4()), self.pattern)

    def send(self, method: str, key: str | None, pk: str | None = None, query: str = "", data: dict | None = None):
        url = self.url(pk) + query
        if key is None:
            return getattr(APIClient(), method)(url, format="json")
        auth = next(cls for cls in self.view.authentication_classes if cls in present(key))
        return getattr(APIClient(), method)(**present(key)[auth](method, url), data=data or {}, format="json")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


ROUTES = sorted(
    (
        Route(entry.name or pattern, pattern, entry.callback.cls)
        for pattern, entry in walk(get_resolver().url_patterns)
        if not pattern.startswith(("admin/", "^"))
        and entry.name not in OPEN_ROUTES
        and hasattr(getattr(entry.callback, "cls", None), "scope_family")
    ),
    key=lambda route: route.pattern,
)
