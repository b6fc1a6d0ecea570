"""seed_demo adds the names seed 003's examples use, and running it twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from communications.models import Category, Communication, QueueEntry, QueueExternalSystem, Template

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_seed_names_once():
    call_command("seed_demo", stdout=StringIO())
    counts = (Communication.objects.count(), QueueEntry.objects.count(), Template.objects.count())
    call_command("seed_demo", stdout=StringIO())

    assert (Communication.objects.count(), QueueEntry.objects.count(), Template.objects.count()) == counts
    assert Template.objects.filter(name="Subscription Information").exists()
    assert Category.objects.get(code="cci").name == "Customer Care Information"
    assert QueueExternalSystem.objects.filter(name="CONAX Mail message").exists()
    assert counts[0] >= 3 and counts[1] >= 1
    draft = Communication.objects.get(state="DRAFT")
    assert draft.subject == " Information for subscription S60302"
    assert (
        draft.content == "Dear John we would like to inform you that the subscription S60302 is EFFECTIVE subscription"
    )


def test_the_seed_examples_replay_against_the_demo_records(crm):
    """Seed 003's create and update examples, with the demo customer's id: the subscription and the lead they name
    are there, shown in full and rendered into the text."""
    call_command("seed_demo", stdout=StringIO())
    john = Communication.objects.get(state="DRAFT").contact
    maria = john.__class__.objects.get(code="C124")

    created = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": john.id.hex.upper()},
            "direction": "OUTGOING",
            "media": "EMAIL",
            "subject": "Subscription Notice",
            "to": "mariosmichael88@gmail.com",
            "content": "We would like to remind you that your Subscription #subscription.number is overdue.",
            "referring_to": {"subscription_identifier": {"number": "S60302"}},
        },
    ).json()["data"]
    draft = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": maria.id.hex.upper()},
            "direction": "OUTGOING",
            "media": "EMAIL",
            "subject": "Draft",
            "content": "Draft",
            "to": "paulos@crm.com",
            "life_cycle_state": "DRAFT",
            "referring_to": {"subscription_identifier": {"number": "S60052"}},
        },
    ).json()["data"]
    updated = crm.post(
        "communications/update",
        {
            "communication_identifier": {"number": draft["number"]},
            "template_identifier": {"name": "Subscription Information"},
            "content": "Dear #contact_information.first_name we would like to inform you that the subscription "
            "#subscription.number is #subscription.life_cycle_state subscription",
            "referring_to": {"lead_identifier": {"number": "60"}},
        },
    ).json()["data"]

    assert created["content"] == "We would like to remind you that your Subscription S60302 is overdue."
    assert created["referring_to"]["subscription"]["type"]["alternative_code"] == "LND"
    assert updated["content"] == (
        "Dear Maria we would like to inform you that the subscription S60052 is CANCELLED subscription"
    )
    assert (updated["referring_to"]["lead"]["number"], updated["referring_to"]["subscription"]["number"]) == (
        "60",
        "S60052",
    )
