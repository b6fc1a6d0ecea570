"""GET /correspondence/api/v1/correspondence/{id}/details: status history and notifications."""

import pytest

from correspondence import services

pytestmark = pytest.mark.django_db


def test_shows_the_status_history_and_each_notification(altinn, dispatch_one):
    correspondence_id = dispatch_one(
        notification={"notificationTemplate": "GenericAltinnMessage", "sendReminder": True}
    )
    services.publish_due_correspondences()

    body = altinn.get(f"/correspondence/api/v1/correspondence/{correspondence_id}/details").json()

    assert [e["status"] for e in body["statusHistory"]] == ["Initialized", "ReadyForPublish", "Published"]
    assert all(e["statusChanged"] for e in body["statusHistory"])
    main, reminder = body["notifications"]
    assert set(main) == {
        "notificationOrderId",
        "isReminder",
        "notificationChannel",
        "orderStatus",
        "status",
        "statusText",
        "statusChanged",
        "requestedSendTime",
        "sent",
        "created",
    }
    assert (main["orderStatus"], main["status"], main["notificationChannel"]) == ("Success", "Pending", "Email")
    assert main["requestedSendTime"] is not None
    assert reminder["isReminder"] is True
    assert "if the correspondence is still unread" in reminder["statusText"]


def test_unknown_is_404(altinn):
    response = altinn.get("/correspondence/api/v1/correspondence/8d5c3c5e-0000-4000-8000-000000000000/details")
    assert response.status_code == 404
