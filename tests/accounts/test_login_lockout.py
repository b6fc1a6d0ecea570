"""Failed logins are limited per username and per client address on every login path: past the limit the caller
gets 429 in the family's own body with Retry-After, even with the right password, until the window has passed."""

import time
from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tests.processes import free_port

pytestmark = pytest.mark.django_db

V2_LOGIN = "/backoffice/v2/users/login"
CRM_LOGIN = "/crmapi/rest/v2/authentication/login"
PASSWORD = "correct horse"


def v2_refusal(response) -> bool:
    body = response.json()
    return body["error"] == "CRM.EXCEPTIONS.TOOMANYREQUESTSEXCEPTION" and body["status"] == 429


def crm_refusal(response) -> bool:
    body = response.json()
    return body["status"]["code"] == "TOO_MANY_REQUESTS" and body["data"] is None


PATHS = {"v2": (V2_LOGIN, v2_refusal), "crm": (CRM_LOGIN, crm_refusal)}


def log_in(path, username, password, address="203.0.113.7"):
    return APIClient().post(path, {"username": username, "password": password}, format="json", REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    # Every wrong password is checked in full; the production hasher would make each try take most of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user("operator", password=PASSWORD)


@pytest.mark.parametrize("family", PATHS)
def test_ten_wrong_passwords_end_in_429_with_retry_after(operator, family):
    path, refusal = PATHS[family]

    answers = [log_in(path, "operator", f"guess {n}") for n in range(10)]

    assert [a.status_code for a in answers] == [401] * 4 + [429] * 6
    last = answers[-1]
    assert refusal(last)
    assert last["Retry-After"] == "900"
    assert "Too many failed logins" in last.content.decode()


@pytest.mark.parametrize("family", PATHS)
def test_the_right_password_is_refused_while_locked_out(operator, family):
    path, refusal = PATHS[family]
    for n in range(5):
        log_in(path, "operator", f"guess {n}")

    response = log_in(path, "operator", PASSWORD)

    assert response.status_code == 429 and refusal(response)
    assert "token" not in response.content.decode()


@pytest.mark.parametrize("family", PATHS)
def test_after_the_window_the_right_password_works(operator, family, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    path, _ = PATHS[family]
    for n in range(6):
        log_in(path, "operator", f"guess {n}")
    assert log_in(path, "operator", PASSWORD).status_code == 429

    time.sleep(1.5)

    assert log_in(path, "operator", PASSWORD).status_code == 200


def test_one_address_trying_many_usernames_is_locked_out(django_user_model):
    django_user_model.objects.create_user("innocent", password=PASSWORD)
    for n in range(5):
        assert log_in(V2_LOGIN, f"user{n}", "guess", address="198.51.100.9").status_code in (401, 429)

    assert log_in(V2_LOGIN, "innocent", PASSWORD, address="198.51.100.9").status_code == 429
    assert log_in(V2_LOGIN, "innocent", PASSWORD, address="198.51.100.10").status_code == 200


def test_one_username_tried_from_many_addresses_is_locked_out(operator, django_user_model):
    django_user_model.objects.create_user("colleague", password=PASSWORD)
    for n in range(5):
        log_in(V2_LOGIN, "operator", "guess", address=f"192.0.2.{n + 1}")

    assert log_in(V2_LOGIN, "operator", PASSWORD, address="192.0.2.200").status_code == 429
    assert log_in(V2_LOGIN, "colleague", PASSWORD, address="192.0.2.200").status_code == 200


def test_the_two_api_login_paths_share_one_count(operator):
    for n in range(3):
        log_in(V2_LOGIN, "operator", f"guess {n}")
    for n in range(2):
        log_in(CRM_LOGIN, "operator", f"guess {n}")

    assert log_in(V2_LOGIN, "operator", PASSWORD).status_code == 429
    assert log_in(CRM_LOGIN, "operator", PASSWORD).status_code == 429


def test_a_successful_login_before_the_limit_is_not_refused(operator):
    for n in range(4):
        assert log_in(CRM_LOGIN, "operator", f"guess {n}").status_code == 401

    response = log_in(CRM_LOGIN, "operator", PASSWORD)

    assert response.status_code == 200
    assert response.json()["data"]["token"]


def test_the_admin_login_answers_its_page_with_the_reason(client, django_user_model):
    django_user_model.objects.create_superuser("staff", "staff@example.com", PASSWORD)
    answers = [
        client.post("/admin/login/", {"username": "staff", "password": f"guess {n}"}, REMOTE_ADDR="203.0.113.7")
        for n in range(10)
    ]
    assert [a.status_code for a in answers] == [200] * 4 + [429] * 6
    assert answers[-1]["Retry-After"] == "900"

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Too many failed logins for this username or from this address. Try again in 15 minutes." in page
    assert 'name="password"' in page
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_locks_out_the_api_logins_too(client, operator):
    for n in range(5):
        client.post("/admin/login/", {"username": "operator", "password": f"guess {n}"}, REMOTE_ADDR="203.0.113.8")

    assert log_in(V2_LOGIN, "operator", PASSWORD, address="203.0.113.99").status_code == 429


@pytest.mark.skipif(not django_settings.RATE_LIMIT_REDIS_URL, reason="counts in Redis only when Redis is configured")
def test_counted_in_redis(operator):
    import redis

    log_in(V2_LOGIN, "operator", "guess")

    client = redis.Redis.from_url(django_settings.RATE_LIMIT_REDIS_URL)
    assert list(client.scan_iter("logins:*"))
    assert not AccessAttempt.objects.exists()


@pytest.fixture
def login_attempts_redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "login_attempts": {**settings.CACHES["login_attempts"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"},
    }
    AxesProxyHandler.get_implementation(force=True)
    yield
    AxesProxyHandler.implementation = None


@pytest.mark.skipif(not django_settings.RATE_LIMIT_REDIS_URL, reason="counts in Redis only when Redis is configured")
def test_while_redis_is_down_logins_go_on_uncounted(operator, login_attempts_redis_down, caplog):
    for n in range(6):
        assert log_in(V2_LOGIN, "operator", f"guess {n}").status_code == 401

    assert log_in(V2_LOGIN, "operator", PASSWORD).status_code == 200
    assert "accounts.login_attempts_unavailable" in caplog.text


@pytest.mark.embedded
def test_without_redis_failures_are_counted_in_the_database(operator):
    for n in range(5):
        log_in(CRM_LOGIN, "operator", f"guess {n}")

    assert log_in(V2_LOGIN, "operator", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="operator").exists()


def test_a_login_without_a_request_is_not_counted_nor_refused(client, operator):
    """Django's test client logs in without a request: nothing to count it against, and it still works."""
    for n in range(6):
        assert not client.login(username="operator", password=f"guess {n}")

    assert client.login(username="operator", password=PASSWORD)
