"""#placeholders: replaced when they name something known, left as written otherwise."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from communications.placeholders import render

CONTEXT = {
    "contact_information": {"first_name": "Kathy", "last_name": "Clark"},
    "subscription": {"number": "S60302"},
    "accounts_receivable": {"balance": Decimal("510.41"), "account_owner": {"first_name": "Kathy"}},
    "unrestricted_string": {"name": "Marios"},
    "unrestricted_float": {"float": 10.0, "rate": 2.5},
    "unrestricted_integer": {"count": 3},
    "unrestricted_date": {"date": datetime(2014, 5, 5, 12, 49, 59, tzinfo=UTC)},
}


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("Dear #contact_information.first_name", "Dear Kathy"),
        ("your Subscription #subscription.number is overdue.", "your Subscription S60302 is overdue."),
        ("FLOAT: #unrestricted_float.float #unrestricted_float.newfl ", "FLOAT: 10 #unrestricted_float.newfl "),
        ("rate #unrestricted_float.rate, #unrestricted_integer.count", "rate 2.5, 3"),
        ("DATE: #unrestricted_date.date", "DATE: Mon May 05 15:49:59 EEST 2014"),
        ("Balance: #accounts_receivable.balance", "Balance: 510.41"),
        ("Owner #accounts_receivable.account_owner.first_name", "Owner Kathy"),
        ("#activity.number", "#activity.number"),
        ("#subscription alone", "#subscription alone"),
        ("#subscription.life_cycle_state", "#subscription.life_cycle_state"),
        ("ends with #subscription.number.", "ends with S60302."),
        ("#subscription.number.Next sentence", "S60302.Next sentence"),
        ("no placeholders # here", "no placeholders # here"),
        ("", ""),
    ],
)
def test_render(text, rendered):
    assert render(text, CONTEXT) == rendered


def test_none_stays_none():
    assert render(None, CONTEXT) is None
