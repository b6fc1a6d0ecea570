"""Walks every URL pattern: without credentials, everything but the open routes refuses."""

import re
import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

OPEN_ROUTES = {"healthz", "schema", "swagger-ui", "backoffice-login", "crm-login"}
# The letters' open-tracking links carry an unguessable token instead of credentials.
OPEN_ROUTES |= {"tracking-pixel", "tracking-document"}
METHODS = ("get", "post", "put", "patch", "delete")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or ""


def concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(uuid.uuid4()), route)


API_ROUTES = sorted(
    concrete(route)
    for route, name in walk(get_resolver().url_patterns)
    if not route.startswith("admin/") and name not in OPEN_ROUTES and not name.endswith("-unknown")
)


def test_the_walk_finds_every_family():
    assert any(url.startswith("/backoffice/v2/") for url in API_ROUTES)


@pytest.mark.parametrize("url", API_ROUTES)
def test_api_route_refuses_anonymous_callers(anonymous, url):
    for method in METHODS:
        response = getattr(anonymous, method)(url)
        assert response.status_code in (401, 405), f"{method.upper()} {url} answered {response.status_code}"
        assert response.content, "a refusal names its reason"


def test_every_admin_list_sends_anonymous_callers_to_the_login(anonymous):
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("name", ["healthz", "schema", "swagger-ui"])
def test_open_routes_answer_without_credentials(anonymous, name):
    assert anonymous.get(reverse(name)).status_code == 200
