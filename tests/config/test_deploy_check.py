"""`manage.py check --deploy` with production settings reports nothing: DEBUG off turns on secure cookies, HSTS and
the redirect to https, and each has its own switch for a deployment behind a TLS-terminating proxy."""

import secrets
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from tests.processes import ROOT, project_env

HTTPS_SWITCHES = [
    "HTTPS_ONLY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def production_env(**settings) -> dict:
    """DEBUG off, a random key, one host, and none of the switches the tests themselves run with (the browser
    tests' DJANGO_ALLOW_ASYNC_UNSAFE among them)."""
    base = {name: None for name in [*HTTPS_SWITCHES, "DJANGO_ALLOW_ASYNC_UNSAFE"]}
    return project_env(**{**base, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), **settings})


def manage(*arguments: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(ALLOWED_HOSTS="example.com"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("switch", "warning"),
    [
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("SESSION_COOKIE_SECURE", "security.W012"),
        ("CSRF_COOKIE_SECURE", "security.W016"),
    ],
)
def test_each_switch_turns_its_setting_off(switch, warning):
    result = manage("check", "--deploy", env=production_env(ALLOWED_HOSTS="example.com", **{switch: "false"}))

    assert warning in result.stderr
    assert result.stderr.count("(security.W") == 1


def test_hsts_is_switched_off_by_its_seconds():
    result = manage("check", "--deploy", env=production_env(ALLOWED_HOSTS="example.com", SECURE_HSTS_SECONDS="0"))

    assert "security.W004" in result.stderr


def test_plain_http_turns_them_all_off():
    result = manage("check", "--deploy", env=production_env(ALLOWED_HOSTS="example.com", HTTPS_ONLY="false"))

    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in result.stderr


def test_the_proxy_header_is_read_from_its_variable():
    env = production_env(ALLOWED_HOSTS="example.com", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https")
    result = manage("shell", "-c", "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)", env=env)

    assert result.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


def test_a_malformed_proxy_header_is_refused():
    result = manage("check", env=production_env(ALLOWED_HOSTS="example.com", SECURE_PROXY_SSL_HEADER="https"))

    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must read NAME=value" in result.stderr


@pytest.fixture
def served_over_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_is_redirected_to_https(served_over_https):
    response = APIClient().get("/healthz")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/healthz"


@pytest.mark.django_db
def test_behind_the_proxy_https_is_served_with_hsts(served_over_https):
    response = APIClient().get("/healthz", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
