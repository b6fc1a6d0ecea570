"""Every event comes from a moment the product records: one customer's three days, made through the APIs, and
each event counted on the day it happened."""

import pytest
from django.conf import settings

from .world import epoch, series, values

pytestmark = pytest.mark.django_db

DAY_1, DAY_2, DAY_3 = "2026-03-02 10:00", "2026-03-03 10:00", "2026-03-04 10:00"


@pytest.fixture
def three_days(world, smtp_server):
    """What happened, in the order an integrator did it; the expected counts per day are in EXPECTED."""
    with world.at(DAY_1):
        ann = world.contact()
        company = world.contact(company=True, country="NOR")
        first = world.account(ann, balance="50.00")
        second = world.account(company)  # a contact holds one account per currency: the balance goes to another
        world.communication(ann)
        world.communication(ann, media="EMAIL", direction="OUTGOING")
        processed, rejected = world.queued(ann), world.queued(ann)
        letter = world.letter(ann)
        world.postal_account("ABC12345", contact=company)
        world.postal_letters("ABC12345", ["r1", "r2"])
        done, dropped = world.activity(ann), world.activity(ann)
    with world.at(DAY_2):
        world.terminate(first, transfer_to=second)
        world.process(processed)
        world.reject(rejected)
        world.email_letter(letter)
        world.deliver_letter(letter)
        world.lodge(DAY_2)
        world.close_activity(done, "COMPLETED")
        world.close_activity(dropped, "CANCELLED")
        smtp_server.handler.refuse_with = "550 5.1.1 Mailbox unavailable"
        world.communication(ann, media="EMAIL", direction="OUTGOING")
        smtp_server.handler.refuse_with = None
    with world.at(DAY_3):
        world.return_letters("ABC12345", ["r2"])
        probe = world.insight([{"event": "CONTACT_CREATED"}])
    return world, probe, {"ann": ann, "company": company}


EXPECTED = {
    "CONTACT_CREATED": [2, 0, 0],
    "ACCOUNT_CREATED": [2, 0, 0],
    "ACCOUNT_TERMINATED": [0, 1, 0],
    # Day 1: a phone note, an email, two SMS for the queue; day 2: the email that failed.
    "COMMUNICATION_CREATED": [4, 1, 0],
    "COMMUNICATION_COMPLETED": [4, 1, 0],
    # Day 1: the communication's email; day 2: the letter's email.
    "MESSAGE_SENT": [1, 1, 0],
    "MESSAGE_FAILED": [0, 1, 0],
    "QUEUE_ENTRY_PROCESSED": [0, 1, 0],
    "QUEUE_ENTRY_REJECTED": [0, 1, 0],
    "LETTER_CREATED": [1, 0, 0],
    "LETTER_EMAILED": [0, 1, 0],
    "LETTER_DELIVERED": [0, 1, 0],
    "POSTAL_LETTER_RECEIVED": [2, 0, 0],
    "POSTAL_LETTER_LODGED": [0, 2, 0],
    "POSTAL_LETTER_RETURNED": [0, 0, 1],
    "ACTIVITY_CREATED": [2, 0, 0],
    "ACTIVITY_COMPLETED": [0, 1, 0],
    "ACTIVITY_CANCELLED": [0, 1, 0],
}


def preview(world, probe, events, **extra):
    body = {"events": events, "date_from": epoch("2026-03-02 00:00"), "date_to": epoch("2026-03-05 00:00"), **extra}
    response = world.v2.post(f"/backoffice/v2/insights/{probe}/preview", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("event", list(EXPECTED))
def test_each_event_is_counted_on_the_day_it_happened(three_days, event):
    world, probe, _ = three_days
    answer = preview(world, probe, [{"event": event}])
    assert values(series(answer, event=event)) == EXPECTED[event]
    assert {record["event"] for record in answer["sample"]} == {event}
    assert len(answer["sample"]) == sum(EXPECTED[event])


def test_the_catalogue_is_the_issues_list(three_days):
    assert set(EXPECTED) == {
        "CONTACT_CREATED",
        "ACCOUNT_CREATED",
        "ACCOUNT_TERMINATED",
        "COMMUNICATION_CREATED",
        "COMMUNICATION_COMPLETED",
        "MESSAGE_SENT",
        "MESSAGE_FAILED",
        "QUEUE_ENTRY_PROCESSED",
        "QUEUE_ENTRY_REJECTED",
        "LETTER_CREATED",
        "LETTER_EMAILED",
        "LETTER_DELIVERED",
        "POSTAL_LETTER_RECEIVED",
        "POSTAL_LETTER_LODGED",
        "POSTAL_LETTER_RETURNED",
        "ACTIVITY_CREATED",
        "ACTIVITY_COMPLETED",
        "ACTIVITY_CANCELLED",
    }


def test_events_with_an_amount(three_days):
    world, probe, _ = three_days
    answer = preview(
        world,
        probe,
        [
            {"event": "ACCOUNT_TERMINATED", "measurement": "TOTAL_AMOUNT"},
            {"event": "POSTAL_LETTER_RECEIVED", "measurement": "TOTAL_AMOUNT"},
            {"event": "POSTAL_LETTER_RETURNED", "measurement": "AVERAGE_AMOUNT"},
        ],
    )
    # The balance moved on termination; a postal letter's price is the charge for its transport.
    post = settings.POSTAL_PRICES["POST"]
    assert values(series(answer, event="ACCOUNT_TERMINATED")) == [0, 50.0, 0]
    assert values(series(answer, event="POSTAL_LETTER_RECEIVED")) == [float(2 * post), 0, 0]
    assert series(answer, event="POSTAL_LETTER_RETURNED")["total"] == float(post)


def test_each_event_knows_its_contact(three_days):
    world, probe, people = three_days
    answer = preview(
        world,
        probe,
        [
            {"event": "ACTIVITY_CANCELLED", "measurement": "UNIQUE_CONTACTS"},
            {"event": "POSTAL_LETTER_LODGED", "measurement": "UNIQUE_CONTACTS"},
            {"event": "MESSAGE_SENT", "measurement": "UNIQUE_CONTACTS"},
        ],
    )
    assert values(series(answer, event="ACTIVITY_CANCELLED")) == [0, 1, 0]
    # The postal account's contact is the company.
    assert values(series(answer, event="POSTAL_LETTER_LODGED")) == [0, 1, 0]
    # A message's contact is its communication's; the letter's email carries no communication.
    assert values(series(answer, event="MESSAGE_SENT")) == [1, 0, 0]
    lodged = [r for r in answer["sample"] if r["event"] == "POSTAL_LETTER_LODGED"]
    assert {r["contact"]["id"] for r in lodged} == {people["company"]}
    assert {r["record"]["type"] for r in lodged} == {"POSTAL_LETTER"}
    assert {r["amount"] for r in lodged} == {float(settings.POSTAL_PRICES["POST"])}
