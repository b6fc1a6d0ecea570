"""GET /correspondence/api/v1/correspondence/{id}: the correspondence and its current status."""

import uuid

import pytest

pytestmark = pytest.mark.django_db


def test_shows_the_message_its_status_and_notifications(altinn, upload, dispatch_one):
    attachment_id = upload(altinn, displayName="Terms").json()["attachmentId"]
    correspondence_id = dispatch_one(
        existing_attachments=[attachment_id],
        messageSender="Acme Utilities",
        notification={"notificationTemplate": "GenericAltinnMessage", "sendReminder": True},
    )

    response = altinn.get(f"/correspondence/api/v1/correspondence/{correspondence_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["correspondenceId"] == correspondence_id
    assert (body["status"], body["statusText"], body["published"]) == ("ReadyForPublish", "ReadyForPublish", None)
    assert (body["sendersReference"], body["resourceId"], body["messageSender"]) == (
        "case-4711",
        "acme-letters",
        "Acme Utilities",
    )
    assert body["content"]["messageTitle"] == "Your new tariff"
    assert [a["id"] for a in body["content"]["attachments"]] == [attachment_id]
    assert body["content"]["attachments"][0]["displayName"] == "Terms"
    assert [n["isReminder"] for n in body["notifications"]] == [False, True]
    assert body["correspondenceNumber"] == "1"
    assert "statusHistory" not in body


@pytest.mark.parametrize("identifier", [str(uuid.uuid4()), "nope"])
def test_unknown_is_404(altinn, identifier):
    response = altinn.get(f"/correspondence/api/v1/correspondence/{identifier}")
    assert response.status_code == 404
    assert response.json()["errorCode"] == 1001
    assert response.json()["detail"] == "The requested correspondence was not found"


def test_another_sender_does_not_see_it(dispatch_one, altinn_as):
    correspondence_id = dispatch_one()
    other = altinn_as()
    assert other.get(f"/correspondence/api/v1/correspondence/{correspondence_id}").status_code == 404


def test_a_key_without_the_family_is_403(dispatch_one, altinn_as):
    correspondence_id = dispatch_one()
    client = altinn_as("letters.read")
    assert client.get(f"/correspondence/api/v1/correspondence/{correspondence_id}").status_code == 403
