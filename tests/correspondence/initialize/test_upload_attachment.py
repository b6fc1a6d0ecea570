"""POST /correspondence/api/v1/attachment/{id}/upload: the bytes, streamed to storage and checked."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage

from correspondence import services
from correspondence.errors.dispatches import FileTooLarge
from correspondence.models import AttachmentStatus, SharedAttachment

from .helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def initialized(client, file_name="report.pdf", **fields) -> SharedAttachment:
    body = {"fileName": file_name, "sendersReference": "r", **fields}
    return SharedAttachment.objects.get(pk=client.post("/correspondence/api/v1/attachment", body, format="json").json())


def send(client, attachment, data, content_type="application/octet-stream"):
    return client.post(f"/correspondence/api/v1/attachment/{attachment.id}/upload", data, content_type=content_type)


def test_a_good_upload_publishes_the_attachment(altinn):
    attachment = initialized(altinn, checksum=hashlib.md5(PDF_BYTES).hexdigest(), displayName="Report")

    response = send(altinn, attachment, PDF_BYTES)

    assert response.status_code == 200
    body = response.json()
    assert body["attachmentId"] == str(attachment.id)
    assert body["status"] == "Published"
    assert body["dataType"] == "application/pdf"
    assert body["size"] == len(PDF_BYTES)
    attachment.refresh_from_db()
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == PDF_BYTES
    assert attachment.file_name not in attachment.file.name, "the sender's file name never becomes a storage path"


def test_without_a_declared_checksum_the_computed_one_is_kept(altinn):
    attachment = initialized(altinn, "logo.png")
    body = send(altinn, attachment, PNG_BYTES).json()
    assert body["checksum"] == hashlib.md5(PNG_BYTES).hexdigest()
    assert body["dataType"] == "image/png"


def test_a_checksum_mismatch_fails_the_attachment_with_the_reason(altinn):
    attachment = initialized(altinn, checksum=hashlib.md5(b"something else").hexdigest())

    response = send(altinn, attachment, PDF_BYTES)

    assert response.status_code == 400
    assert response.json()["errorCode"] == 2008
    attachment.refresh_from_db()
    assert attachment.status == AttachmentStatus.FAILED
    assert attachment.status_text.startswith("Checksum mismatch")
    assert not attachment.file
    assert default_storage.listdir("correspondence/shared")[1] == [], "nothing of the refused file is kept"


def test_bytes_that_are_not_what_the_name_says_fail_the_attachment(altinn):
    attachment = initialized(altinn, "invoice.pdf")

    response = send(altinn, attachment, EXE_BYTES)

    assert response.status_code == 400
    assert response.json()["errorCode"] == 2013
    overview = altinn.get(f"/correspondence/api/v1/attachment/{attachment.id}").json()
    assert overview["status"] == "Failed"
    assert "not a .pdf file" in overview["statusText"]
    assert default_storage.listdir("correspondence/shared")[1] == []


def test_text_files_are_recognised_without_a_signature(altinn):
    attachment = initialized(altinn, "rows.csv")
    body = send(altinn, attachment, "name;amount\nÅse;12\n".encode()).json()
    assert (body["status"], body["dataType"]) == ("Published", "text/csv")


def test_an_oversized_file_fails_the_attachment(altinn, settings):
    settings.CORRESPONDENCE_ATTACHMENT_MAX_BYTES = 50
    attachment = initialized(altinn)

    response = send(altinn, attachment, PDF_BYTES + b"x" * 100)

    assert response.status_code == 413
    assert response.json()["errorCode"] == 2004
    attachment.refresh_from_db()
    assert attachment.status == AttachmentStatus.FAILED
    assert "max file size of 50 bytes" in attachment.status_text


def test_a_stream_longer_than_its_declared_length_is_cut_off_at_the_limit(altinn, settings):
    settings.CORRESPONDENCE_ATTACHMENT_MAX_BYTES = 50
    attachment = services.initialize_attachment(sender=altinn.sender, file_name="a.pdf", senders_reference="r")

    with pytest.raises(FileTooLarge):
        services.upload_attachment(attachment, io.BytesIO(PDF_BYTES * 10), content_length=40)

    attachment.refresh_from_db()
    assert attachment.status == AttachmentStatus.FAILED
    assert default_storage.listdir("correspondence/shared")[1] == [], "the part written before the limit is removed"


def test_an_attachment_takes_one_upload_only(altinn):
    attachment = initialized(altinn)
    send(altinn, attachment, PDF_BYTES)

    response = send(altinn, attachment, PDF_BYTES + b"% changed")

    assert response.status_code == 400
    assert response.json()["errorCode"] == 2005
    attachment.refresh_from_db()
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == PDF_BYTES


def test_an_empty_body_is_refused_and_the_attachment_waits_for_its_bytes(altinn):
    attachment = initialized(altinn)

    response = send(altinn, attachment, b"")

    assert response.status_code == 400
    assert response.json()["errorCode"] == 2004
    attachment.refresh_from_db()
    assert attachment.status == AttachmentStatus.INITIALIZED
    assert send(altinn, attachment, PDF_BYTES).json()["status"] == "Published"


def test_only_octet_stream_is_accepted(altinn):
    attachment = initialized(altinn)

    response = send(altinn, attachment, b'{"a": 1}', content_type="application/json")

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    attachment.refresh_from_db()
    assert attachment.status == AttachmentStatus.INITIALIZED


def test_another_senders_attachment_is_not_found(altinn, altinn_as):
    attachment = initialized(altinn)

    response = send(altinn_as(), attachment, PDF_BYTES)

    assert response.status_code == 404
    assert response.json()["errorCode"] == 2001
    attachment.refresh_from_db()
    assert attachment.status == AttachmentStatus.INITIALIZED
