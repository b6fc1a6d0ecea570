"""Whose address a login failure is counted against: the connection's, or behind our proxies the client's."""

import pytest
from django.test import RequestFactory

from accounts.lockout import client_address


def request(remote="10.0.0.5", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/backoffice/v2/users/login", REMOTE_ADDR=remote, **extra)


def test_without_proxies_the_connection_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="203.0.113.7")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # What the client wrote itself stands left of what our proxy appended: it is not believed.
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    ],
)
def test_behind_proxies_the_address_the_outermost_saw_counts(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == expected


def test_a_header_shorter_than_the_proxies_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(forwarded="203.0.113.7")) == "10.0.0.5"
