"""Upgrading a database whose activities named their lead, service request or order by the caller's words (a type,
an id and a label) keeps every link: each becomes a record of the activity's contact, and back again on a downgrade."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Lead, Order, ServiceRequest
from activities.models import Activity

pytestmark = pytest.mark.django_db

FREE_TEXT_LINKS = [("activities", "0003_insight_timestamp_indexes")]
GIVEN = "2760043d-c671-a428-9b35-2f27b0623fa1"


@pytest.fixture
def before_the_upgrade(contact, make_contact, site_visit):
    """The schema of free-text links, with activities that used them; the current schema again afterwards."""
    # The test's one transaction holds every migration, and PostgreSQL alters no table with foreign-key checks still
    # deferred in it (a real upgrade commits each migration); checking each row as it is written avoids that.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(FREE_TEXT_LINKS)
    old = executor.loader.project_state(FREE_TEXT_LINKS).apps.get_model("activities", "Activity")
    other = make_contact()

    def activity(name, owner, reference_type="", reference_id="", reference_label=""):
        return old.objects.create(
            name=name,
            type_id=site_visit.pk,
            contact_id=owner.pk,
            scheduled_from="2026-06-22T09:00:00Z",
            reference_type=reference_type,
            reference_id=reference_id,
            reference_label=reference_label,
        ).pk

    made = {
        "lead": activity("Call", contact, "LEAD", GIVEN, "ASOS"),
        "same lead again": activity("Call again", contact, "LEAD", GIVEN, "ASOS"),
        "order": activity("Deliver", contact, "ORDER", "O-9", "O101367"),
        "service request without a label": activity("Repair", contact, "SERVICE_REQUEST", "JHGHGF7576HGFTGD564654"),
        "same order id, other contact": activity("Deliver there", other, "ORDER", "O-9", "O101367"),
        "nothing": activity("Plain", contact),
    }
    yield made
    call_command("migrate", verbosity=0)


def upgrade():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_every_free_text_link_becomes_a_record_of_the_activitys_contact(before_the_upgrade, contact):
    upgrade()
    activities = {name: Activity.objects.get(pk=pk) for name, pk in before_the_upgrade.items()}

    lead = activities["lead"].lead
    assert (lead.id, lead.title, lead.contact, lead.state) == (uuid.UUID(GIVEN), "ASOS", contact, "PENDING")
    assert activities["same lead again"].lead == lead
    order = activities["order"].order
    assert (order.number, order.contact, order.state) == ("O101367", contact, "NEW")
    other_order = activities["same order id, other contact"].order
    assert other_order != order and other_order.contact == activities["same order id, other contact"].contact
    assert other_order.number != "O101367"  # numbers stay unique: the second one draws the next of the series
    repair = activities["service request without a label"].service_request
    assert repair.contact == contact and repair.number.startswith("SRV")
    assert activities["nothing"].linked is None
    assert (Lead.objects.count(), Order.objects.count(), ServiceRequest.objects.count()) == (1, 2, 1)


def test_a_downgrade_puts_the_links_back_as_text(before_the_upgrade):
    upgrade()
    executor = MigrationExecutor(connection)
    executor.migrate(FREE_TEXT_LINKS)
    old = executor.loader.project_state(FREE_TEXT_LINKS).apps.get_model("activities", "Activity")

    lead = old.objects.get(pk=before_the_upgrade["lead"])
    order = old.objects.get(pk=before_the_upgrade["order"])

    assert (lead.reference_type, lead.reference_id, lead.reference_label) == ("LEAD", GIVEN, "ASOS")
    assert (order.reference_type, order.reference_label) == ("ORDER", "O101367")
    assert old.objects.get(pk=before_the_upgrade["nothing"]).reference_type == ""


def test_a_downgrade_and_an_upgrade_again_link_to_the_same_records(before_the_upgrade):
    upgrade()
    links = {pk: Activity.objects.get(pk=pk).linked for pk in before_the_upgrade.values()}
    counts = (Lead.objects.count(), Order.objects.count(), ServiceRequest.objects.count())

    MigrationExecutor(connection).migrate(FREE_TEXT_LINKS)
    upgrade()

    assert {pk: Activity.objects.get(pk=pk).linked for pk in before_the_upgrade.values()} == links
    assert (Lead.objects.count(), Order.objects.count(), ServiceRequest.objects.count()) == counts
