import datetime as dt

import pytest
import time_machine

from correspondence import services

from .helpers import API, without_hint

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters_on_file(contact, make_correspondence, notice_type):
    """Three letters: 1 (tariff, delivered), 2 (reminder), 3 (tariff), dated and created on different days."""
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        delivered = make_correspondence(contact, correspondence_date=dt.date(2026, 2, 27))
        services.mark_delivered(delivered)
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        make_correspondence(
            contact,
            correspondence_type=notice_type,
            content={"body": "Please pay."},
            correspondence_date=dt.date(2026, 3, 10),
        )
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        make_correspondence(contact, correspondence_date=dt.date(2026, 3, 5))
    return contact


def listed(backend, query) -> list[str]:
    response = backend.get(f"{API}/correspondence/?{query}")
    assert response.status_code == 200, response.json()
    return sorted(item["correspondenceNumber"] for item in response.json())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["1", "2", "3"]),
        ("correspondenceType=Payment%20reminder", ["2"]),
        ("correspondenceType=standard%20letter", ["1", "3"]),
        ("correspondenceType=Unknown", []),
        ("delivered", ["1"]),
        ("delivered=true", ["1"]),
        ("undelivered", ["2", "3"]),
        ("undelivered=1", ["2", "3"]),
        ("delivered=false", ["1", "2", "3"]),
        ("delivered&undelivered", []),
        ("minDate=2026-03-05", ["2", "3"]),
        ("maxDate=2026-03-05", ["1", "3"]),
        ("minDate=2026-03-01&maxDate=2026-03-09", ["3"]),
        ("createdSince=2026-03-10", ["2", "3"]),
        ("createdSince=2026-03-10T09:00:01Z", ["3"]),
        ("createdSince=2026-03-20T09:00:00%2B00:00", ["3"]),
        ("undelivered&minDate=2026-03-06", ["2"]),
    ],
)
def test_filters(backend, letters_on_file, query, expected):
    assert listed(backend, query) == expected


def test_min_and_max_date_use_the_correspondence_date_not_the_creation_time(backend, letters_on_file):
    # Letter 3 was created on 20 March but is dated 5 March.
    assert listed(backend, "minDate=2026-03-15") == []
    assert listed(backend, "createdSince=2026-03-15") == ["3"]


def test_filters_apply_to_a_customers_list(backend, letters_on_file, make_correspondence, make_contact):
    make_correspondence(make_contact())

    response = backend.get(f"{API}/customers/{letters_on_file.id}/correspondence/?undelivered")

    assert sorted(item["correspondenceNumber"] for item in response.json()) == ["2", "3"]


@pytest.mark.parametrize(
    "query", ["minDate=03/05/2026", "maxDate=yesterday", "createdSince=soon", "delivered=maybe", "undelivered=2"]
)
def test_malformed_filter_values_are_400(backend, query):
    response = backend.get(f"{API}/correspondence/?{query}")

    assert response.status_code == 400
    assert without_hint(response.json()) == {"error": "Invalid Value", "error_code": 400002}
    assert query.split("=")[0] in response.json()["hint"]
