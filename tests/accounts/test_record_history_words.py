"""A record's history in plain words: who, from which path, and what changed, value by value."""

import pytest

from accounts import services
from accounts.actors import Actor, acting
from accounts.history_words import actor_words, history_lines
from accounts.models import Account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "name", "is_api_key", "words"),
    [
        ("admin", "Anna Berg", False, "Anna Berg in the back-office"),
        ("backoffice", "billing system", True, "API key 'billing system' (back-office v2 API)"),
        ("crm", "clerk", False, "clerk through the CRM.COM API"),
        ("backend", "letters robot", True, "API key 'letters robot' (letters API)"),
        ("altinn", "tax office", True, "API key 'tax office' (correspondence initialize API)"),
        ("jsonrpc", "mail house", True, "API key 'mail house' (letter status API)"),
        ("command", "purge", False, "the command purge"),
        ("task", "postal.lodge_letters", False, "the background task postal.lodge_letters"),
        ("system", "", False, "the system"),
    ],
)
def test_each_path_is_named_as_staff_read_it(path, name, is_api_key, words):
    assert actor_words(path, name, is_api_key=is_api_key) == words


def test_values_are_words_not_codes(contact, make_account, staff_user):
    account = make_account(contact, is_primary=True)

    with acting(Actor.staff(staff_user)):
        services.update_account(account, credit_limit="250.00")
        services.suspend_account(Account.objects.get(pk=account.pk))
        services.update_account(Account.objects.get(pk=account.pk), is_primary=False)

    latest, suspended, limited, *_ = [line.text for line in history_lines(account)]
    assert latest == "staff in the back-office set primary to no"
    assert suspended == "staff in the back-office changed the state from Active to Suspended"
    assert limited.startswith("staff in the back-office changed the credit limit ")
    assert limited.endswith(" to '250.00'")


def test_the_page_shows_the_latest_changes_first_and_no_more_than_fifty(contact, make_account):
    account = make_account(contact)
    for limit in range(60):
        services.update_account(account, credit_limit=limit)

    lines = history_lines(account)

    assert len(lines) == 50
    assert lines[0].text == "the system changed the credit limit from '58.00' to '59.00'"
    assert [line.on for line in lines] == sorted((line.on for line in lines), reverse=True)
