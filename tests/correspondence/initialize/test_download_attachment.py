"""GET /correspondence/api/v1/attachment/{id}/download: the published bytes."""

import pytest

from .helpers import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_answers_the_bytes_with_the_file_name(altinn, upload):
    attachment_id = upload(altinn, file_name="annual report.pdf").json()["attachmentId"]

    response = altinn.get(
        f"/correspondence/api/v1/attachment/{attachment_id}/download", HTTP_ACCEPT="application/octet-stream"
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="annual report.pdf"' in response["Content-Disposition"]


def test_an_attachment_without_its_bytes_cannot_be_downloaded(altinn):
    attachment_id = altinn.post(
        "/correspondence/api/v1/attachment", {"fileName": "a.pdf", "sendersReference": "r"}, format="json"
    ).json()

    response = altinn.get(f"/correspondence/api/v1/attachment/{attachment_id}/download")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errorCode"] == 1018
    assert "Initialized" in response.json()["detail"]


def test_another_sender_cannot_download(altinn, upload, altinn_as):
    attachment_id = upload(altinn).json()["attachmentId"]
    response = altinn_as().get(f"/correspondence/api/v1/attachment/{attachment_id}/download")
    assert response.status_code == 404
