"""Fixtures shared by every app's tests: API keys, clients per family, and customers."""

from decimal import Decimal

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Account, Classification, PaymentTerms
from accounts.scopes import ALL_SCOPES


@pytest.fixture(autouse=True)
def no_failed_logins_of_earlier_tests():
    """Failed logins are counted per username and per address, and every test logs in from 127.0.0.1: each test
    starts with none counted. (In the database, without Redis, a test's transaction already takes them away.)"""
    if settings.RATE_LIMIT_REDIS_URL:
        client = redis.Redis.from_url(settings.RATE_LIMIT_REDIS_URL)
        stale = list(client.scan_iter(f"{settings.CACHES['login_attempts']['KEY_PREFIX']}:*"))
        if stale:
            client.delete(*stale)


@pytest.fixture
def make_api_key(db):
    def make(scopes=ALL_SCOPES, mode="live", postal_accounts=(), requests_per_minute=None):
        return services.create_api_key(
            "test key",
            list(scopes),
            mode=mode,
            postal_accounts=list(postal_accounts),
            requests_per_minute=requests_per_minute,
        )

    return make


@pytest.fixture
def api_key(make_api_key):
    return make_api_key()


@pytest.fixture
def test_api_key(make_api_key):
    return make_api_key(mode="test")


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def backoffice(api_key):
    """A v2 client sending a live all-scopes key in the `api_key` header."""
    client = APIClient()
    client.credentials(HTTP_API_KEY=api_key)
    return client


@pytest.fixture
def backoffice_test_mode(test_api_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=test_api_key)
    return client


@pytest.fixture
def reference_data(db):
    return {
        "net7": PaymentTerms.objects.create(name="Net 7", days=7),
        "purchase": Classification.objects.create(name="Delivery Purchase", is_default=True),
        "business": Classification.objects.create(name="Business"),
    }


@pytest.fixture
def make_contact(db):
    counter = iter(range(1, 10_000))

    def make(is_test=False, **fields):
        n = next(counter)
        defaults = {
            "first_name": "John",
            "last_name": f"Smith{n}",
            "email": f"john{n}@example.com",
            "addresses": [
                {
                    "address_line_1": "2265 Oak Street",
                    "town_city": "Old Forge",
                    "postal_code": "13420",
                    "state_province_county": "New York",
                    "country_code": "CYP",
                }
            ],
        }
        return services.create_contact(is_test=is_test, **{**defaults, **fields})

    return make


@pytest.fixture
def contact(make_contact):
    return make_contact()


@pytest.fixture
def make_account(db):
    def make(contact, currency_code="EUR", balance="0", **fields):
        account = services.create_account(contact, currency_code=currency_code, **fields)
        Account.objects.filter(pk=account.pk).update(balance=Decimal(balance))
        account.refresh_from_db()
        return account

    return make


@pytest.fixture
def dead_broker():
    """Celery hands tasks to a broker that does not answer, instead of running them in-process."""
    import socket

    from tests.communications.conftest import celery_broker

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with celery_broker(f"redis://127.0.0.1:{port}/0"):
        yield
