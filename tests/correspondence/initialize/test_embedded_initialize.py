"""The embedded default (SQLite, in-process tasks): initialize, publish now or at a later time, notify."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from correspondence.models import DispatchedCorrespondence, DispatchedCorrespondenceStatus, NotificationState

pytestmark = [pytest.mark.embedded, pytest.mark.django_db(transaction=True)]

NOTIFY = {"notificationTemplate": "GenericAltinnMessage"}


def test_published_at_once_and_notified_in_process(altinn, initialize, make_person, smtp_server):
    assert connection.vendor == "sqlite"
    kari = make_person(1, email="kari@example.com")

    response = initialize(altinn, [kari.id_number], notification=NOTIFY)

    dispatched = DispatchedCorrespondence.objects.get(pk=response.json()["correspondences"][0]["correspondenceId"])
    assert dispatched.status == DispatchedCorrespondenceStatus.PUBLISHED
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["kari@example.com"]]
    assert dispatched.notification_orders.get().state == NotificationState.SENT


def test_a_later_publish_time_waits_for_the_publish_due_command(altinn, initialize, make_person, smtp_server):
    kari = make_person(1, email="kari@example.com")
    noon = timezone.now() + timedelta(hours=2)
    response = initialize(altinn, [kari.id_number], requestedPublishTime=noon.isoformat(), notification=NOTIFY)
    dispatched = DispatchedCorrespondence.objects.get(pk=response.json()["correspondences"][0]["correspondenceId"])
    assert dispatched.status == DispatchedCorrespondenceStatus.READY_FOR_PUBLISH

    with time_machine.travel(noon + timedelta(minutes=1)):
        out = StringIO()
        call_command("publish_due", stdout=out)

    dispatched.refresh_from_db()
    assert dispatched.status == DispatchedCorrespondenceStatus.PUBLISHED
    assert out.getvalue().startswith("1 correspondence(s) published or failed")
    assert len(smtp_server.received) == 1
