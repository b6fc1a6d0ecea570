"""Publishing at the requested time, the notification after it, the reminder while unread: with time controlled."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from correspondence.models import (
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    NotificationOrder,
    NotificationState,
)

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
NOTIFY = {"notificationTemplate": "GenericAltinnMessage", "sendReminder": True}


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scheduled(clock, altinn, initialize, make_person, settings):
    """A correspondence to Kari, to be published at noon, with a notification and a reminder after three days."""
    settings.CORRESPONDENCE_REMINDER_DELAY_SECONDS = 3 * 24 * 3600
    kari = make_person(1, email="kari@example.com")
    response = initialize(altinn, [kari.id_number], requestedPublishTime=NOON.isoformat(), notification=NOTIFY)
    return DispatchedCorrespondence.objects.get(pk=response.json()["correspondences"][0]["correspondenceId"])


def subjects(smtp_server) -> list[str]:
    return [mail.message["Subject"] for mail in smtp_server.received]


def test_nothing_happens_before_the_publish_time(scheduled, clock, sweep, smtp_server):
    clock.move_to(NOON - timedelta(seconds=1))
    sweep()
    scheduled.refresh_from_db()
    assert scheduled.status == DispatchedCorrespondenceStatus.READY_FOR_PUBLISH
    assert smtp_server.received == []


def test_published_at_the_requested_time_then_notified(scheduled, clock, sweep, smtp_server):
    clock.move_to(NOON)
    sweep()

    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.published_on) == (DispatchedCorrespondenceStatus.PUBLISHED, NOON)
    assert subjects(smtp_server) == ["New message: Your new tariff"]
    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["kari@example.com"]
    assert "Prices change on 1 March" in mail.message.get_content()
    main = scheduled.notification_orders.get(is_reminder=False)
    assert (main.state, main.sent_on) == (NotificationState.SENT, NOON)


def test_the_reminder_goes_out_after_the_delay_while_unread(scheduled, clock, sweep, smtp_server):
    clock.move_to(NOON)
    sweep()
    clock.shift(timedelta(days=3) - timedelta(seconds=1))
    sweep()
    assert len(smtp_server.received) == 1

    clock.shift(timedelta(seconds=1))
    sweep()

    assert subjects(smtp_server) == ["New message: Your new tariff", "Reminder: New message: Your new tariff"]
    reminder = scheduled.notification_orders.get(is_reminder=True)
    assert reminder.state == NotificationState.SENT


def test_reading_cancels_the_reminder(scheduled, clock, sweep, smtp_server, altinn):
    clock.move_to(NOON)
    sweep()
    clock.shift(timedelta(days=1))
    assert altinn.post(f"/correspondence/api/v1/correspondence/{scheduled.pk}/markasread").status_code == 200

    clock.shift(timedelta(days=5))
    sweep()

    assert subjects(smtp_server) == ["New message: Your new tariff"]
    reminder = scheduled.notification_orders.get(is_reminder=True)
    assert reminder.state == NotificationState.CANCELLED
    assert reminder.state_text == "Cancelled: the correspondence was read"
    details = altinn.get(f"/correspondence/api/v1/correspondence/{scheduled.pk}/details").json()
    assert [(e["status"], e["statusChanged"]) for e in details["statusHistory"]] == [
        ("Initialized", "2026-03-02T08:00:00Z"),
        ("ReadyForPublish", "2026-03-02T08:00:00Z"),
        ("Published", "2026-03-02T12:00:00Z"),
        ("Read", "2026-03-03T12:00:00Z"),
    ]


def test_without_a_publish_time_it_is_published_at_once_by_a_task(
    clock, altinn, initialize, make_person, smtp_server, django_capture_on_commit_callbacks
):
    kari = make_person(1, email="kari@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = initialize(altinn, [kari.id_number], notification={"notificationTemplate": "GenericAltinnMessage"})

    dispatched = DispatchedCorrespondence.objects.get(pk=response.json()["correspondences"][0]["correspondenceId"])
    assert dispatched.status == DispatchedCorrespondenceStatus.PUBLISHED
    assert subjects(smtp_server) == ["New message: Your new tariff"]


def test_custom_texts_and_sms(scheduled, clock, sweep, smtp_server, altinn, initialize, make_person, caplog):
    ola = make_person(2, email="ola@example.com", phone="+4791234567")
    notification = {
        "notificationTemplate": "CustomMessage",
        "notificationChannel": "EmailAndSms",
        "emailSubject": "Your tariff letter",
        "emailBody": "Dear Ola, a letter awaits.",
        "smsBody": "A letter awaits.",
    }
    response = initialize(altinn, [ola.id_number], notification=notification)
    order = NotificationOrder.objects.get(pk=response.json()["correspondences"][0]["notifications"][0]["orderId"])

    caplog.set_level("INFO", logger="communications.outbound.sms_gateways")
    sweep()

    assert subjects(smtp_server) == ["Your tariff letter"]
    assert smtp_server.received[0].message.get_content().strip() == "Dear Ola, a letter awaits."
    assert "sms.logged to=+4791234567" in caplog.text
    order.refresh_from_db()
    assert order.state == NotificationState.SENT
    assert len(order.message_ids) == 2


def test_an_order_without_usable_details_sends_nothing(clock, sweep, smtp_server, altinn, initialize, make_person):
    nobody = make_person(3, email="")
    initialize(altinn, [nobody.id_number], notification=NOTIFY)
    sweep()
    clock.shift(timedelta(days=30))
    sweep()
    assert smtp_server.received == []
    assert set(NotificationOrder.objects.values_list("state", flat=True)) == {NotificationState.NOT_SENT}
