"""Fixtures for the insights tests: a world of records made through the APIs, and clients per mode and scope."""

import pytest
from rest_framework.test import APIClient

from .world import World

POSTAL_ACCOUNTS = ["ABC12345", "XYZ00001"]


@pytest.fixture
def world(make_api_key, smtp_server):
    return World(make_api_key(postal_accounts=POSTAL_ACCOUNTS))


@pytest.fixture
def test_world(make_api_key, smtp_server):
    return World(make_api_key(mode="test", postal_accounts=POSTAL_ACCOUNTS))


@pytest.fixture
def client_with(make_api_key):
    """A v2 client whose key has only the given scopes."""

    def make(*scopes, mode="live"):
        client = APIClient()
        client.credentials(HTTP_API_KEY=make_api_key(scopes=list(scopes), mode=mode))
        return client

    return make
