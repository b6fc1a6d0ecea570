"""POST /correspondence/api/v1/correspondence/{id}/confirm."""

import pytest

from correspondence.models import DispatchedCorrespondence, DispatchedCorrespondenceStatus, NotificationState

pytestmark = pytest.mark.django_db


def url(correspondence_id, action="confirm") -> str:
    return f"/correspondence/api/v1/correspondence/{correspondence_id}/{action}"


def test_a_read_correspondence_is_confirmed_and_its_reminder_cancelled(altinn, published):
    correspondence_id = published(notification={"notificationTemplate": "GenericAltinnMessage", "sendReminder": True})
    altinn.post(url(correspondence_id, "markasread"))

    response = altinn.post(url(correspondence_id))

    assert (response.status_code, response.json()) == (200, correspondence_id)
    dispatched = DispatchedCorrespondence.objects.get(pk=correspondence_id)
    assert dispatched.status == DispatchedCorrespondenceStatus.CONFIRMED
    assert [e.status for e in dispatched.status_events.all()][-2:] == ["Read", "Confirmed"]
    assert dispatched.notification_orders.get(is_reminder=True).state == NotificationState.CANCELLED


def test_an_unread_published_correspondence_may_be_confirmed(altinn, published):
    assert altinn.post(url(published())).status_code == 200


def test_confirming_twice_is_refused(altinn, published):
    correspondence_id = published()
    altinn.post(url(correspondence_id))
    response = altinn.post(url(correspondence_id))
    assert (response.status_code, response.json()["errorCode"]) == (400, 1041)


def test_before_publishing_it_cannot_be_confirmed(altinn, dispatch_one):
    response = altinn.post(url(dispatch_one(requestedPublishTime="2099-01-01T00:00:00Z")))
    assert (response.status_code, response.json()["errorCode"]) == (400, 1025)


def test_reading_after_confirming_is_refused(altinn, published):
    correspondence_id = published()
    altinn.post(url(correspondence_id))
    assert altinn.post(url(correspondence_id, "markasread")).json()["errorCode"] == 1040
