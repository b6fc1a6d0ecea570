"""Fixtures of the postal tests: polling counters in the real Redis, and a second postal account."""

import os

import pytest

from postal.models import PostalAccount
from postal.polling import _counter_for


@pytest.fixture(autouse=True)
def poll_counters(settings):
    """The real Redis when REDIS_URL names one (make test-postgres). Counters are per API key, and every
    test makes its own keys, so tests never see each other's counts."""
    settings.POSTAL_POLL_REDIS_URL = os.environ.get("REDIS_URL", "")
    _counter_for.cache_clear()
    yield
    _counter_for.cache_clear()


@pytest.fixture
def other_account(db):
    return PostalAccount.objects.create(code="XYZ00001", name="Another customer")
