"""GET /contacts/{id}/analytics: a customer's totals and months, compared with what the test made."""

import pytest
import time_machine
from django.conf import settings

from accounts.models import Account

from .world import day, epoch

pytestmark = pytest.mark.django_db

NOW = "2026-05-20 15:00"


@pytest.fixture
def ann(world, smtp_server):
    """Half a year of one customer, through the APIs; one communication before the period."""
    with world.at("2025-11-10 09:00"):
        ann = world.contact(code="C777")
        world.communication(ann)
    with world.at("2026-01-10 09:00"):
        euros = world.account(ann, balance="10.00")
        suspended = world.account(ann, currency="GBP", balance="5.00")
        dollars = world.account(ann, currency="USD")
        world.communication(ann)
        done = world.activity(ann)
    Account.objects.filter(pk=suspended).update(state="SUSPENDED", overdue_amount="2.50")
    with world.at("2026-02-03 09:00"):
        world.communication(ann, media="EMAIL", direction="OUTGOING")
        letter = world.letter(ann)
        world.email_letter(letter)
        world.close_activity(done, "COMPLETED")
        world.terminate(dollars)
    with world.at("2026-03-05 09:00"):
        world.communication(ann, media="SMS", direction="OUTGOING")
        world.deliver_letter(letter)
        world.postal_account("ABC12345", contact=ann)
        world.postal_letters("ABC12345", ["r1", "r2"])
        world.lodge("2026-03-05 10:00")
        dropped = world.activity(ann)
        world.close_activity(dropped, "CANCELLED")
    with world.at("2026-04-07 09:00"):
        smtp_server.handler.refuse_with = "550 5.1.1 Mailbox unavailable"
        world.communication(ann, media="EMAIL", direction="OUTGOING")
        smtp_server.handler.refuse_with = None
        world.return_letters("ABC12345", ["r2"])
        world.activity(ann, at="2026-04-08 09:00")  # pending, its time passed: overdue
    with world.at("2026-05-02 09:00"):
        world.communication(ann)
        world.activity(ann, at="2026-06-01 09:00")  # pending, not yet due
    assert euros
    return ann


def analytics(client, contact, **query):
    with time_machine.travel(day(NOW), tick=False):
        response = client.get(f"/backoffice/v2/contacts/{contact}/analytics", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_everything_over_the_last_six_months(world, ann):
    answer = analytics(world.v2, ann)

    assert set(answer) == {
        "account_totals",
        "communication_totals",
        "letter_totals",
        "activity_totals",
        "communications_per_month",
        "activities_per_month",
        "is_active",
        "last_interaction_on",
    }
    assert answer["account_totals"] == [
        {"currency_code": "EUR", "accounts": 1, "active_accounts": 1, "balance": 10.0, "overdue_amount": 0.0},
        {"currency_code": "GBP", "accounts": 1, "active_accounts": 0, "balance": 5.0, "overdue_amount": 2.5},
        {"currency_code": "USD", "accounts": 1, "active_accounts": 0, "balance": 0.0, "overdue_amount": 0.0},
    ]
    communications = answer["communication_totals"]
    assert communications["total"] == 5  # November's is before the period
    assert {m["media"]: m["count"] for m in communications["by_media"]} == {
        "EMAIL": 2,
        "SMS": 1,
        "PHONE": 2,
        "LETTER": 0,
        "FACE_TO_FACE": 0,
    }
    assert {d["direction"]: d["count"] for d in communications["by_direction"]} == {"INCOMING": 2, "OUTGOING": 3}
    assert (communications["messages_sent"], communications["messages_failed"]) == (2, 1)
    assert answer["letter_totals"] == {
        "letters": 1,
        "emailed": 1,
        "delivered": 1,
        "postal_letters": 2,
        "postal_returned": 1,
        "postage": float(2 * settings.POSTAL_PRICES["POST"]),
    }
    assert answer["activity_totals"] == {"created": 4, "completed": 1, "pending": 2, "cancelled": 1, "overdue": 1}
    months = ["2025-12-01 00:00", *(f"2026-0{m}-01 00:00" for m in range(1, 6))]
    assert answer["communications_per_month"] == [
        {"timestamp": epoch(m), "count": n} for m, n in zip(months, [0, 1, 1, 1, 1, 1], strict=True)
    ]
    assert answer["activities_per_month"] == [
        {"timestamp": epoch(m), "count": n} for m, n in zip(months, [0, 1, 0, 1, 1, 1], strict=True)
    ]
    assert answer["is_active"] is True
    assert answer["last_interaction_on"] == epoch("2026-05-02 09:00")


def test_only_the_asked_metrics_by_code_and_for_another_period(world, ann):
    answer = analytics(world.v2, "C777", frequency="LAST_MONTH", metrics="communication_totals, ACTIVITIES_PER_MONTH")

    assert set(answer) == {"communication_totals", "activities_per_month", "is_active", "last_interaction_on"}
    assert answer["communication_totals"]["total"] == 1  # April's failed email
    assert answer["activities_per_month"] == [{"timestamp": epoch("2026-04-01 00:00"), "count": 1}]


def test_this_month(world, ann):
    answer = analytics(world.v2, ann, frequency="THIS_MONTH", metrics="ACTIVITY_TOTALS")
    # Pending and overdue stand as they are now, whatever the period.
    assert answer["activity_totals"] == {"created": 1, "completed": 0, "pending": 2, "cancelled": 0, "overdue": 1}


def test_a_contact_with_nothing_recent_is_inactive(world):
    with world.at("2024-01-10 09:00"):
        old = world.contact()
        world.communication(old)
    answer = analytics(world.v2, old, metrics="ACCOUNT_TOTALS")
    assert answer == {"account_totals": [], "is_active": False, "last_interaction_on": epoch("2024-01-10 09:00")}
    fresh = world.contact()
    assert analytics(world.v2, fresh, metrics="ACCOUNT_TOTALS")["last_interaction_on"] is None


def test_an_open_account_makes_a_contact_active(world):
    with world.at("2024-01-10 09:00"):
        quiet = world.contact()
        world.account(quiet)
    assert analytics(world.v2, quiet, metrics="ACCOUNT_TOTALS")["is_active"] is True


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"metrics": "ACCOUNT_TOTALS,REVENUE"}, "metrics"), ({"frequency": "YESTERDAY"}, "frequency")],
)
def test_bad_parameters_are_refused(world, ann, query, parameter):
    response = world.v2.get(f"/backoffice/v2/contacts/{ann}/analytics", query)
    assert response.status_code == 400
    assert response.json()["parameters"][0] == parameter
    if parameter == "metrics":
        assert response.json()["parameters"] == ["metrics", "REVENUE"]


def test_unknown_and_other_modes_contacts_are_not_found(world, test_world, ann):
    for client, identifier in (
        (test_world.v2, ann),
        (world.v2, "C000"),
        (world.v2, "5beb415c-3246-1a10-f806-3f975e4898dc"),
    ):
        response = client.get(f"/backoffice/v2/contacts/{identifier}/analytics")
        assert response.status_code == 404
        assert response.json()["parameters"] == ["contact", identifier]


def test_analytics_need_the_read_scope(ann, client_with):
    assert client_with("backoffice.read").get(f"/backoffice/v2/contacts/{ann}/analytics").status_code == 200
    assert client_with("communications.read").get(f"/backoffice/v2/contacts/{ann}/analytics").status_code == 403
