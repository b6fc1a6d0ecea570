"""GET /correspondence/api/v1/attachment/{id}: an attachment and where it stands."""

import uuid

import pytest

pytestmark = pytest.mark.django_db


def test_shows_the_attachment_and_its_status(altinn, upload):
    attachment_id = upload(altinn, displayName="Report", resourceId="acme-letters").json()["attachmentId"]

    response = altinn.get(f"/correspondence/api/v1/attachment/{attachment_id}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "attachmentId",
        "resourceId",
        "fileName",
        "displayName",
        "isEncrypted",
        "checksum",
        "sendersReference",
        "dataType",
        "size",
        "status",
        "statusText",
        "statusChanged",
        "correspondenceIds",
    }
    assert body["status"] == "Published"
    assert (body["fileName"], body["displayName"], body["resourceId"]) == ("report.pdf", "Report", "acme-letters")
    assert body["correspondenceIds"] == []


@pytest.mark.parametrize("identifier", [str(uuid.uuid4()), "not-a-uuid"])
def test_an_unknown_id_is_a_404_problem(altinn, identifier):
    response = altinn.get(f"/correspondence/api/v1/attachment/{identifier}")

    assert response.status_code == 404
    body = response.json()
    assert body["title"] == "Not Found"
    assert body["detail"] == "The requested attachment was not found"
    assert body["errorCode"] == 2001


def test_other_senders_and_the_other_mode_do_not_see_it(altinn, upload, altinn_as):
    attachment_id = upload(altinn).json()["attachmentId"]
    for other in (altinn_as(), altinn_as(mode="test")):
        assert other.get(f"/correspondence/api/v1/attachment/{attachment_id}").status_code == 404


def test_a_write_key_may_read_what_it_sent(altinn, upload, altinn_as):
    writer = altinn_as("correspondence.write")
    attachment_id = upload(writer).json()["attachmentId"]
    assert writer.get(f"/correspondence/api/v1/attachment/{attachment_id}").status_code == 200


def test_a_key_of_another_family_is_403(altinn_as):
    client = altinn_as("letters.read", "letters.write")
    response = client.get(f"/correspondence/api/v1/attachment/{uuid.uuid4()}")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_without_credentials_is_401(anonymous):
    assert anonymous.get(f"/correspondence/api/v1/attachment/{uuid.uuid4()}").status_code == 401
