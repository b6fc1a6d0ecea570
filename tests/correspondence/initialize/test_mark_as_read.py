"""POST /correspondence/api/v1/correspondence/{id}/markasread."""

import pytest

from correspondence.models import DispatchedCorrespondence, DispatchedCorrespondenceStatus

pytestmark = pytest.mark.django_db


def url(correspondence_id) -> str:
    return f"/correspondence/api/v1/correspondence/{correspondence_id}/markasread"


def test_a_published_correspondence_becomes_read(altinn, published):
    correspondence_id = published()

    response = altinn.post(url(correspondence_id))

    assert (response.status_code, response.json()) == (200, correspondence_id)
    dispatched = DispatchedCorrespondence.objects.get(pk=correspondence_id)
    assert dispatched.status == DispatchedCorrespondenceStatus.READ
    assert dispatched.read_on is not None


def test_reading_twice_is_refused(altinn, published):
    correspondence_id = published()
    altinn.post(url(correspondence_id))
    response = altinn.post(url(correspondence_id))
    assert (response.status_code, response.json()["errorCode"]) == (400, 1040)
    assert DispatchedCorrespondence.objects.get(pk=correspondence_id).status_events.filter(status="Read").count() == 1


def test_before_publishing_it_cannot_be_read(altinn, dispatch_one):
    correspondence_id = dispatch_one(requestedPublishTime="2099-01-01T00:00:00Z")
    response = altinn.post(url(correspondence_id))
    assert (response.status_code, response.json()["errorCode"]) == (400, 1024)
    assert (
        DispatchedCorrespondence.objects.get(pk=correspondence_id).status
        == DispatchedCorrespondenceStatus.READY_FOR_PUBLISH
    )


def test_a_read_only_key_may_not(altinn_as, published):
    correspondence_id = published()
    assert altinn_as("correspondence.read").post(url(correspondence_id)).status_code == 403
    assert DispatchedCorrespondence.objects.get(pk=correspondence_id).status == DispatchedCorrespondenceStatus.PUBLISHED


def test_another_senders_correspondence_is_not_found(altinn_as, published):
    assert altinn_as().post(url(published())).status_code == 404
