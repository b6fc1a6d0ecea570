"""What the outbound channel reports comes back to the notification order: sent, or failed with the reason."""

import pytest

from correspondence import services
from correspondence.models import NotificationOrder, NotificationState

pytestmark = pytest.mark.django_db

NOTIFY = {"notificationTemplate": "GenericAltinnMessage"}


def test_a_refused_email_fails_the_order_with_the_servers_reason(
    altinn, initialize, make_person, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.handler.refuse_with = "550 5.1.1 No such mailbox"
    initialize(altinn, [make_person(1, email="gone@example.com").id_number], notification=NOTIFY)
    services.publish_due_correspondences()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_notifications()

    order = NotificationOrder.objects.get()
    assert order.state == NotificationState.FAILED
    assert "No such mailbox" in order.state_text
    details = altinn.get(f"/correspondence/api/v1/correspondence/{order.dispatched_correspondence_id}/details").json()
    assert details["notifications"][0]["status"] == "Failed"
    assert details["notifications"][0]["orderStatus"] == "Success"


def test_a_late_success_overrides_a_failure_of_the_other_channel(altinn, initialize, make_person):
    person = make_person(1, phone="+4791234567")
    notification = {**NOTIFY, "notificationChannel": "EmailAndSms"}
    order_id = initialize(altinn, [person.id_number], notification=notification).json()["correspondences"][0][
        "notifications"
    ][0]["orderId"]
    NotificationOrder.objects.filter(pk=order_id).update(state=NotificationState.QUEUED)

    services.record_notification_outcome(order_id, sent=False, error="SMTP down")
    services.record_notification_outcome(order_id, sent=True)
    services.record_notification_outcome(order_id, sent=False, error="too late")

    assert NotificationOrder.objects.get(pk=order_id).state == NotificationState.SENT
