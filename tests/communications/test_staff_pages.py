"""Communications on the staff dashboard (the customer's page: tests/insights/)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communications import staff as communications_staff
from communications.models import QueueExternalSystem

pytestmark = pytest.mark.django_db

NOW = timezone.datetime(2025, 3, 31, 12, 0, tzinfo=timezone.UTC)


def chart(title: str):
    (found,) = [c for c in communications_staff.dashboard_charts() if c.title == title]
    return found


def test_queue_depth_by_state_links_to_the_filtered_list(make_queue_entry):
    make_queue_entry()
    make_queue_entry()
    make_queue_entry(state="REJECTED")

    bars = {bar.label: bar for bar in chart("Queue entries by state").bars}

    assert bars["Pending"].value == 2 and bars["Rejected"].value == 1 and bars["Completed"].value == 0
    assert bars["Pending"].url == "/admin/communications/queueentry/?state__exact=PENDING&is_test__exact=0"
    assert bars["Rejected"].url == "/admin/communications/queueentry/?state__exact=REJECTED&is_test__exact=0"


def test_queue_depth_by_external_system_counts_pending_entries_only(make_queue_entry, seed_names):
    sms = QueueExternalSystem.objects.create(name="SMS platform", alternative_code="SMS")
    make_queue_entry()
    make_queue_entry()
    make_queue_entry(external_system=sms)
    make_queue_entry(external_system=sms, state="COMPLETED")

    bars = chart("Queue depth by external system").bars

    assert [(bar.label, bar.value) for bar in bars] == [("CONAX Mail message", 2), ("SMS platform", 1)]
    conax = seed_names["conax"]
    pending = "/admin/communications/queueentry/?state__exact=PENDING&is_test__exact=0"
    assert bars[0].url == f"{pending}&external_system__id__exact={conax.pk}"


def test_the_filtered_queue_list_behind_a_bar_shows_those_entries(staff, make_queue_entry, seed_names):
    pending = make_queue_entry()
    rejected = make_queue_entry(state="REJECTED")
    (bar,) = chart("Queue depth by external system").bars

    page = staff.get(bar.url).content.decode()

    assert f"/{pending.pk}/change/" in page and f"/{rejected.pk}/change/" not in page


@time_machine.travel(NOW, tick=False)
def test_messages_per_day_stack_sent_retrying_and_failed_in_one_query(make_outbound):
    today, yesterday = NOW, NOW - timedelta(days=1)
    make_outbound(status="SENT", created_on=today)
    make_outbound(status="SENT", created_on=today)
    make_outbound(status="FAILED", created_on=today, attempts=5)
    make_outbound(status="QUEUED", created_on=today, attempts=2)
    make_outbound(status="QUEUED", created_on=today, attempts=0)  # not yet tried: not retrying
    make_outbound(status="SENDING", created_on=yesterday, attempts=3)
    make_outbound(status="SENT", created_on=NOW - timedelta(days=30))  # before the window
    make_outbound(status="SENT", created_on=today, is_test=True)  # test mode stays out of the figures

    with CaptureQueriesContext(connection) as queries:
        traffic = communications_staff._traffic_per_day()
    assert len(queries) == 1

    assert traffic.kind == "columns" and len(traffic.bars) == 30
    assert traffic.legend == [("Sent", "good"), ("Retrying", "warn"), ("Failed", "bad")]
    last, before = traffic.bars[-1], traffic.bars[-2]
    assert last.label == "31 Mar" and last.value == 4
    assert last.segments == [(2, "good"), (1, "warn"), (1, "bad")]
    assert before.segments == [(0, "good"), (1, "warn"), (0, "bad")]
    assert traffic.bars[0].label == "02 Mar" and traffic.bars[0].value == 0
    assert last.url == (
        "/admin/communications/outboundmessage/?created_on__year=2025&created_on__month=3&created_on__day=31&is_test__exact=0"
    )


@time_machine.travel(NOW, tick=False)
def test_the_outbound_list_behind_a_column_shows_that_day(staff, make_outbound):
    make_outbound(status="SENT", created_on=NOW, subject="Sent today")
    make_outbound(status="SENT", created_on=NOW - timedelta(days=2), subject="Sent earlier")
    url = communications_staff._traffic_per_day().bars[-1].url

    page = staff.get(url).content.decode()

    assert "Sent today" in page and "Sent earlier" not in page


def test_the_dashboard_draws_the_communication_charts(staff, make_queue_entry):
    make_queue_entry()

    page = staff.get("/admin/").content.decode()

    assert "Queue entries by state" in page and "Queue depth by external system" in page
    assert "Messages per day, last 30 days" in page
    assert "/admin/communications/queueentry/?state__exact=PENDING" in page
