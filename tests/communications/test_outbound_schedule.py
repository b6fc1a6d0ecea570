"""The outbound tasks: email and SMS on their own Celery queues, and the periodic sweep on beat."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from communications import tasks
from communications.models import OutboundMessage
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("task", "queue"), [("communications.send_due_email", "email"), ("communications.send_due_sms", "sms")]
)
def test_each_channel_has_its_own_queue(task, queue):
    route = celery_app.amqp.router.route({}, task)

    assert route["queue"].name == queue


def test_beat_runs_the_sweep_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["communications.sweep_outbound"]

    assert entry == {"task": "communications.sweep_outbound", "schedule": 60}
    assert "communications.sweep_outbound" in celery_app.tasks


def test_the_sweep_task_sends_what_was_left_waiting(smtp_server, make_outbound):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        waiting = make_outbound()

    tasks.sweep_outbound.delay()

    assert OutboundMessage.objects.get(pk=waiting.pk).status == "SENT"
    assert len(smtp_server.received) == 1
