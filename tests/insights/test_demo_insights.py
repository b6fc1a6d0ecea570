"""seed_demo adds two insights over the demo records, once, and they chart."""

import io

import pytest
from django.core.management import call_command

from insights import services
from insights.models import Insight

pytestmark = pytest.mark.django_db


def test_the_demo_insights_chart_the_demo_records():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    insights = {insight.name: insight for insight in Insight.objects.all()}
    assert set(insights) == {"Customer contact by media", "Postage"}
    contact = services.insight_results(insights["Customer contact by media"], {})
    assert sum(s.total for s in contact.series if s.choice.measurement == "COUNT") > 0
    postage = services.insight_results(insights["Postage"], {})
    assert sum(s.total for s in postage.series) > 0
