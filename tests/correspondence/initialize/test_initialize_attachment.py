"""POST /correspondence/api/v1/attachment: registering a file before its bytes are sent."""

import uuid

import pytest

from correspondence.models import AttachmentStatus, SharedAttachment

pytestmark = pytest.mark.django_db

URL = "/correspondence/api/v1/attachment"
CHECKSUM = "d41d8cd98f00b204e9800998ecf8427e"


def test_answers_the_new_attachment_id_as_a_json_string(altinn):
    response = altinn.post(
        URL,
        {"fileName": "invoice.pdf", "displayName": "Invoice", "sendersReference": "inv-1", "checksum": CHECKSUM},
        format="json",
    )

    assert response.status_code == 200
    attachment = SharedAttachment.objects.get(pk=uuid.UUID(response.json()))
    assert attachment.status == AttachmentStatus.INITIALIZED
    assert (attachment.file_name, attachment.display_name, attachment.checksum) == ("invoice.pdf", "Invoice", CHECKSUM)
    assert attachment.sender == altinn.sender
    assert attachment.is_test is False


def test_the_older_name_field_is_the_display_name(altinn):
    response = altinn.post(URL, {"fileName": "a.pdf", "name": "Annual report", "sendersReference": "r"}, format="json")
    assert SharedAttachment.objects.get(pk=response.json()).display_name == "Annual report"


def test_a_test_mode_key_makes_a_test_attachment(altinn_as):
    client = altinn_as(mode="test")
    response = client.post(URL, {"fileName": "a.pdf", "sendersReference": "r"}, format="json")
    assert SharedAttachment.objects.get(pk=response.json()).is_test is True


def test_missing_fields_are_listed_in_a_validation_problem(altinn):
    response = altinn.post(URL, {"displayName": "x"}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "One or more validation errors occurred."
    assert body["type"] == "https://tools.ietf.org/html/rfc9110#section-15.5.1"
    assert body["status"] == 400
    assert body["instance"] == URL
    assert set(body["errors"]) == {"fileName", "sendersReference"}
    assert not SharedAttachment.objects.exists()


@pytest.mark.parametrize(
    ("checksum", "message"),
    [
        ("abc", "The checksum, if used, must be a MD5 hash with a length of 32 characters"),
        (CHECKSUM.upper(), "The checksum, if used, must be a MD5 hash in lower case"),
    ],
)
def test_a_checksum_must_be_lower_case_md5(altinn, checksum, message):
    response = altinn.post(URL, {"fileName": "a.pdf", "sendersReference": "r", "checksum": checksum}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"checksum": [message]}
    assert not SharedAttachment.objects.exists()


def test_a_file_type_outside_the_allow_list_is_refused_before_any_upload(altinn):
    response = altinn.post(URL, {"fileName": "setup.exe", "sendersReference": "r"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["errorCode"] == 2013
    assert body["detail"].startswith("Filetype not allowed")
    assert ".pdf" in body["detail"]
    assert not SharedAttachment.objects.exists()


def test_the_allow_list_comes_from_settings(altinn, settings):
    settings.CORRESPONDENCE_ATTACHMENT_EXTENSIONS = ["png"]
    assert altinn.post(URL, {"fileName": "a.pdf", "sendersReference": "r"}, format="json").status_code == 400
    assert altinn.post(URL, {"fileName": "a.PNG", "sendersReference": "r"}, format="json").status_code == 200


@pytest.mark.parametrize("name", ["../etc/passwd.pdf", "a\\b.pdf", "bad\nname.pdf"])
def test_a_file_name_with_path_or_control_characters_is_refused(altinn, name):
    response = altinn.post(URL, {"fileName": name, "sendersReference": "r"}, format="json")
    assert response.status_code == 400
    assert response.json()["errorCode"] == 2012
    assert not SharedAttachment.objects.exists()


def test_without_credentials_is_401(anonymous):
    response = anonymous.post(URL, {"fileName": "a.pdf", "sendersReference": "r"}, format="json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Unauthorized"
    assert not SharedAttachment.objects.exists()


def test_a_read_only_key_may_not_initialize(altinn_as):
    client = altinn_as("correspondence.read")
    response = client.post(URL, {"fileName": "a.pdf", "sendersReference": "r"}, format="json")

    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden"
    assert not SharedAttachment.objects.exists()


def test_the_altinn_name_of_the_write_scope_is_accepted(altinn_as):
    client = altinn_as("altinn:correspondence.write")
    response = client.post(URL, {"fileName": "a.pdf", "sendersReference": "r"}, format="json")
    assert response.status_code == 200
