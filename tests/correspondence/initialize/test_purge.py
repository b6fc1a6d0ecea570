"""DELETE /correspondence/api/v1/correspondence/{id}/purge."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from correspondence.models import (
    AttachmentStatus,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    NotificationState,
    SharedAttachment,
)

pytestmark = pytest.mark.django_db


def url(correspondence_id) -> str:
    return f"/correspondence/api/v1/correspondence/{correspondence_id}/purge"


def test_before_publishing_the_sender_purges_it(altinn, dispatch_one):
    correspondence_id = dispatch_one(
        requestedPublishTime="2099-01-01T00:00:00Z",
        notification={"notificationTemplate": "GenericAltinnMessage"},
    )

    response = altinn.delete(url(correspondence_id))

    assert (response.status_code, response.json()) == (200, correspondence_id)
    dispatched = DispatchedCorrespondence.objects.get(pk=correspondence_id)
    assert dispatched.status == DispatchedCorrespondenceStatus.PURGED_BY_ALTINN
    assert dispatched.notification_orders.get().state == NotificationState.CANCELLED
    assert altinn.get(f"/correspondence/api/v1/correspondence/{correspondence_id}").json()["status"] == "PurgedByAltinn"


def test_after_publishing_it_is_purged_for_the_recipient(altinn, published):
    correspondence_id = published()
    altinn.delete(url(correspondence_id))
    assert (
        DispatchedCorrespondence.objects.get(pk=correspondence_id).status
        == DispatchedCorrespondenceStatus.PURGED_BY_RECIPIENT
    )


def test_when_confirmation_is_needed_it_must_be_confirmed_first(altinn, published):
    due = (timezone.now() + timedelta(days=14)).isoformat()
    correspondence_id = published(isConfirmationNeeded=True, dueDateTime=due)

    response = altinn.delete(url(correspondence_id))

    assert (response.status_code, response.json()["errorCode"]) == (400, 1026)
    assert DispatchedCorrespondence.objects.get(pk=correspondence_id).status == DispatchedCorrespondenceStatus.PUBLISHED
    altinn.post(f"/correspondence/api/v1/correspondence/{correspondence_id}/confirm")
    assert altinn.delete(url(correspondence_id)).status_code == 200


def test_purging_twice_is_refused(altinn, published):
    correspondence_id = published()
    altinn.delete(url(correspondence_id))
    response = altinn.delete(url(correspondence_id))
    assert (response.status_code, response.json()["errorCode"]) == (400, 1014)


def test_attachments_go_with_the_last_correspondence_that_uses_them(
    altinn, upload, initialize, make_person, django_capture_on_commit_callbacks
):
    attachment_id = upload(altinn).json()["attachmentId"]
    first, second = make_person(1), make_person(2)
    body = initialize(altinn, [first.id_number, second.id_number], existing_attachments=[attachment_id]).json()
    ids = [c["correspondenceId"] for c in body["correspondences"]]
    stored = SharedAttachment.objects.get(pk=attachment_id).file.name

    altinn.delete(url(ids[0]))
    assert SharedAttachment.objects.get(pk=attachment_id).status == AttachmentStatus.PUBLISHED

    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        altinn.delete(url(ids[1]))

    assert SharedAttachment.objects.get(pk=attachment_id).status == AttachmentStatus.PURGED
    assert not default_storage.exists(stored), "the file is deleted once the purge commits"
    download = altinn.get(f"/correspondence/api/v1/attachment/{attachment_id}/download")
    assert (download.status_code, download.json()["errorCode"]) == (400, 2006)
