"""A completed activity on the customer's timeline says what came of it."""

import pytest

from activities import services
from insights.workspace.moments import moments
from insights.workspace.timeline import timeline_page

pytestmark = pytest.mark.django_db


def test_a_completed_activity_shows_its_outcome(contact, make_activity):
    done, pending = make_activity(name="Read the meter"), make_activity(name="Call back")
    services.complete_activity(done, outcome="Meter read: 48213 kWh.")

    facts = {m.title: m.facts for m in moments(timeline_page(contact, ["activities"]).rows)}

    assert facts["Activity: Read the meter"][-1] == "outcome: Meter read: 48213 kWh."
    assert not any(fact.startswith("outcome") for fact in facts["Activity: Call back"])
    assert pending.state == "PENDING"
