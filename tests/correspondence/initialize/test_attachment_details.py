"""GET /correspondence/api/v1/attachment/{id}/details: the overview and every status the attachment has had."""

import uuid

import pytest

pytestmark = pytest.mark.django_db


def details(client, attachment_id):
    return client.get(f"/correspondence/api/v1/attachment/{attachment_id}/details")


def test_a_published_attachment_shows_its_overview_and_history(altinn, upload):
    attachment_id = upload(altinn, displayName="Report").json()["attachmentId"]
    overview = altinn.get(f"/correspondence/api/v1/attachment/{attachment_id}").json()

    response = details(altinn, attachment_id)

    assert response.status_code == 200
    body = response.json()
    assert {key: value for key, value in body.items() if key != "statusHistory"} == overview
    assert [event["status"] for event in body["statusHistory"]] == ["Initialized", "UploadProcessing", "Published"]
    assert set(body["statusHistory"][0]) == {"status", "statusText", "statusChanged"}
    assert body["statusHistory"][-1]["statusChanged"] == body["statusChanged"]


def test_a_failed_upload_shows_why_in_its_history(altinn):
    body = {"fileName": "report.pdf", "sendersReference": "r"}
    attachment_id = altinn.post("/correspondence/api/v1/attachment", body, format="json").json()
    altinn.post(
        f"/correspondence/api/v1/attachment/{attachment_id}/upload",
        b"MZ\x90\x00" + b"\x00" * 60,
        content_type="application/octet-stream",
    )

    history = details(altinn, attachment_id).json()["statusHistory"]

    assert [event["status"] for event in history] == ["Initialized", "UploadProcessing", "Failed"]
    assert history[-1]["statusText"] != "Failed"


def test_an_unknown_or_another_senders_attachment_is_a_404_problem(altinn, altinn_as, upload):
    attachment_id = upload(altinn).json()["attachmentId"]

    for client, identifier in ((altinn, uuid.uuid4()), (altinn_as(), attachment_id)):
        response = details(client, identifier)
        assert response.status_code == 404
        assert response.json()["errorCode"] == 2001
