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
