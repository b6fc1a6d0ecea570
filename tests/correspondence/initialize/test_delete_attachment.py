"""DELETE /correspondence/api/v1/attachment/{id}: the sender purges a shared attachment that no live correspondence
carries; 204 with no body, as Altinn answers. The file goes once the purge commits; the record stays as Purged."""

import pytest
from django.core.files.storage import default_storage

from correspondence.models import AttachmentStatus, SharedAttachment

pytestmark = pytest.mark.django_db


def url(attachment_id) -> str:
    return f"/correspondence/api/v1/attachment/{attachment_id}"


def test_an_unused_attachment_is_purged(altinn, upload, django_capture_on_commit_callbacks):
    attachment_id = upload(altinn).json()["attachmentId"]
    stored = SharedAttachment.objects.get(pk=attachment_id).file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = altinn.delete(url(attachment_id))

    assert response.status_code == 204
    assert response.content == b""
    attachment = SharedAttachment.objects.get(pk=attachment_id)
    assert (attachment.status, attachment.file.name) == (AttachmentStatus.PURGED, "")
    assert not default_storage.exists(stored)
    shown = altinn.get(f"{url(attachment_id)}/details").json()
    assert shown["status"] == "Purged"
    assert shown["statusHistory"][-1]["status"] == "Purged"
    download = altinn.get(f"{url(attachment_id)}/download")
    assert (download.status_code, download.json()["errorCode"]) == (400, 2006)


def test_an_attachment_never_uploaded_can_be_purged(altinn):
    attachment_id = altinn.post(
        "/correspondence/api/v1/attachment", {"fileName": "a.pdf", "sendersReference": "r"}, format="json"
    ).json()

    response = altinn.delete(url(attachment_id))

    assert response.status_code == 204
    assert SharedAttachment.objects.get(pk=attachment_id).status == AttachmentStatus.PURGED


def test_purging_twice_is_refused(altinn, upload):
    attachment_id = upload(altinn).json()["attachmentId"]
    altinn.delete(url(attachment_id))

    response = altinn.delete(url(attachment_id))

    assert response.status_code == 400
    assert response.json()["errorCode"] == 2006
    assert response.json()["detail"] == "File has already been purged"


def test_an_attachment_a_live_correspondence_carries_is_kept(altinn, upload, initialize, make_person):
    attachment_id = upload(altinn).json()["attachmentId"]
    initialize(altinn, [make_person(1).id_number], existing_attachments=[attachment_id])
    stored = SharedAttachment.objects.get(pk=attachment_id).file.name

    response = altinn.delete(url(attachment_id))

    assert response.status_code == 400
    assert response.json()["errorCode"] == 2007
    assert "linked to at least one existing correspondence" in response.json()["detail"]
    assert SharedAttachment.objects.get(pk=attachment_id).status == AttachmentStatus.PUBLISHED
    assert default_storage.exists(stored)


def test_a_read_only_key_or_another_sender_may_not(altinn, altinn_as, upload):
    attachment_id = upload(altinn).json()["attachmentId"]

    assert altinn_as("correspondence.read").delete(url(attachment_id)).status_code == 403
    assert altinn_as().delete(url(attachment_id)).status_code == 404
    assert SharedAttachment.objects.get(pk=attachment_id).status == AttachmentStatus.PUBLISHED
