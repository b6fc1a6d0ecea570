"""Concurrent primary-account changes on PostgreSQL: exactly one primary survives, none fail with a 500."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from accounts import services
from accounts.models import Account

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_primary_changes_leave_exactly_one_primary(contact, make_account):
    assert connection.vendor == "postgresql"
    accounts = [make_account(contact, currency_code=code) for code in ("EUR", "USD", "GBP", "SEK", "NOK", "DKK")]
    barrier = Barrier(len(accounts))

    def promote(account):
        barrier.wait()
        try:
            services.make_primary(account)
        finally:
            connection.close()

    for _ in range(5):
        with ThreadPoolExecutor(len(accounts)) as pool:
            list(pool.map(promote, accounts))
        assert Account.objects.filter(contact=contact, is_primary=True).count() == 1


def test_the_database_refuses_a_second_primary(contact, make_account):
    from django.db import IntegrityError

    make_account(contact, is_primary=True)
    second = make_account(contact, currency_code="USD")
    with pytest.raises(IntegrityError):
        Account.objects.filter(pk=second.pk).update(is_primary=True)


def test_racing_account_creates_never_share_a_number(contact):
    barrier = Barrier(8)

    def create(currency_code):
        barrier.wait()
        try:
            return services.create_account(contact, currency_code=currency_code).number
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(create, ["EUR", "USD", "GBP", "SEK", "NOK", "DKK", "CHF", "JPY"]))
    assert len(set(numbers)) == 8
