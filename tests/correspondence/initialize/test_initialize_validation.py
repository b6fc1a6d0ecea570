"""Initialize refuses what an integrator would expect refused, in a problem body, and creates nothing."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from correspondence.models import AttachmentStatus, Correspondence, Dispatch, DispatchedCorrespondence, SharedAttachment
from correspondence.recipients import ORGANISATION_URN, PERSON_URN

from .helpers import INITIALIZE_URL, initialize_body
from .numbers import national_identity_number

pytestmark = pytest.mark.django_db

CUSTOM_EMAIL = {"notificationTemplate": "CustomMessage", "emailSubject": "New letter", "emailBody": "Read it."}


@pytest.fixture(autouse=True)
def nothing_is_created():
    yield
    assert not Dispatch.objects.exists()
    assert not DispatchedCorrespondence.objects.exists()
    assert not Correspondence.objects.exists()


@pytest.fixture
def person(make_person):
    return make_person(1)


def refused(response, status=400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["instance"] == INITIALIZE_URL
    return body


def later(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


# Recipients


def test_no_recipients(altinn, initialize):
    assert refused(initialize(altinn, []))["errors"] == {"recipients": ["Recipients can not be empty"]}


def test_more_than_500_recipients(altinn, initialize):
    body = refused(initialize(altinn, [national_identity_number(0)] * 501))
    assert body["errors"] == {"recipients": ["Recipients can contain at most 500 recipients"]}


@pytest.mark.parametrize(
    ("recipient", "message"),
    [
        ("12345", "Recipient should be an organization number in the format"),
        ("0192:12345678", "Recipient should be an organization number in the format"),
        ("0192:910000005", "The given Recipient organization number 910000005 is not valid"),
        (f"{ORGANISATION_URN}910000005", "The given Recipient organization number 910000005 is not valid"),
        ("01017012345", "The given Recipient national identity number is not valid"),
        (f"{PERSON_URN}01017012345", "The given Recipient national identity number is not valid"),
    ],
)
def test_a_recipient_that_is_no_valid_number(altinn, initialize, person, recipient, message):
    body = refused(initialize(altinn, [person.id_number, recipient]))
    assert body["title"] == "One or more validation errors occurred."
    assert list(body["errors"]) == ["recipients[1]"]
    assert body["errors"]["recipients[1]"][0].startswith(message)


def test_the_same_recipient_twice_even_in_two_forms(altinn, initialize, make_organisation):
    company = make_organisation(2)
    body = refused(initialize(altinn, [f"0192:{company.org_number}", f"{ORGANISATION_URN}{company.org_number}"]))
    assert body["errorCode"] == 1006
    assert body["detail"] == f"Recipients must be unique: 0192:{company.org_number}"


def test_recipients_that_match_no_customer_are_named(altinn, initialize, person):
    stranger = national_identity_number(40)
    body = refused(initialize(altinn, [person.id_number, stranger]), 404)
    assert body["errorCode"] == 1029
    assert body["detail"] == f"Could not find partyId for the following recipients: {stranger}"


# Content


def test_content_is_required(altinn, person):
    body = initialize_body([person.id_number])
    del body["correspondence"]["content"]
    problem = refused(altinn.post(INITIALIZE_URL, body, format="json"))
    assert problem["errors"] == {
        "correspondence.content": ["The Content field must be provided for the correspondence"]
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("messageTitle", "", "Message title cannot be empty"),
        ("messageTitle", "x" * 256, "Message title cannot exceed 255 characters"),
        ("messageBody", "", "Message body cannot be empty"),
        ("messageBody", "x" * 30001, "Message body cannot exceed 30000 characters"),
        ("messageSummary", "x" * 256, "Message summary, if not null, must be between 0 and 255 characters long"),
        ("language", "de", "Invalid language chosen. Supported languages is Norsk bokmål (nb), Nynorsk (nn) and"),
    ],
)
def test_content_limits(altinn, person, field, value, message):
    body = initialize_body([person.id_number])
    body["correspondence"]["content"][field] = value
    problem = refused(altinn.post(INITIALIZE_URL, body, format="json"))
    assert problem["errors"][f"correspondence.content.{field}"][0].startswith(message)


def test_new_attachments_in_the_request_are_refused(altinn, person):
    body = initialize_body([person.id_number])
    body["correspondence"]["content"]["attachments"] = [{"fileName": "a.pdf"}]
    problem = refused(altinn.post(INITIALIZE_URL, body, format="json"))
    assert "existingAttachments" in problem["errors"]["correspondence.content.attachments"][0]


def test_senders_reference_is_required(altinn, person):
    body = initialize_body([person.id_number])
    del body["correspondence"]["sendersReference"]
    assert "correspondence.sendersReference" in refused(altinn.post(INITIALIZE_URL, body, format="json"))["errors"]


# Dates


def test_due_date_in_the_past(altinn, initialize, person):
    body = refused(initialize(altinn, [person.id_number], dueDateTime=later(hours=-1)))
    assert (body["errorCode"], body["detail"]) == (1008, "DueDateTime cannot be prior to today")


def test_due_date_before_the_publish_time(altinn, initialize, person):
    response = initialize(altinn, [person.id_number], requestedPublishTime=later(days=3), dueDateTime=later(days=2))
    body = refused(response)
    assert (body["errorCode"], body["detail"]) == (1009, "DueDateTime cannot be prior to RequestedPublishTime")
    assert body["errors"] == {"dueDateTime": ["DueDateTime cannot be prior to RequestedPublishTime"]}


def test_due_date_required_when_confirmation_is_needed(altinn, initialize, person):
    body = refused(initialize(altinn, [person.id_number], isConfirmationNeeded=True))
    assert (body["errorCode"], body["detail"]) == (1016, "DueDateTime is required when confirmation is needed")


def test_a_date_that_is_no_date(altinn, initialize, person):
    body = refused(initialize(altinn, [person.id_number], requestedPublishTime="next tuesday"))
    assert "correspondence.requestedPublishTime" in body["errors"]


# Existing attachments


def test_an_unknown_attachment(altinn, initialize, person):
    body = refused(initialize(altinn, [person.id_number], existing_attachments=[uuid.uuid4()]))
    assert body["errorCode"] == 1007


def test_an_attachment_of_another_sender(altinn, initialize, upload, person, altinn_as):
    theirs = upload(altinn_as()).json()["attachmentId"]
    body = refused(initialize(altinn, [person.id_number], existing_attachments=[theirs]))
    assert body["errorCode"] == 1017


def test_an_attachment_that_is_not_published(altinn, initialize, person):
    body = {"fileName": "a.pdf", "sendersReference": "r"}
    waiting = altinn.post("/correspondence/api/v1/attachment", body, format="json").json()
    body = refused(initialize(altinn, [person.id_number], existing_attachments=[waiting]))
    assert body["errorCode"] == 1018
    assert "Initialized" in body["detail"]


def test_a_failed_attachment_is_not_published_either(altinn, initialize, upload, person):
    attachment_id = upload(altinn, checksum=False).json()["attachmentId"]
    SharedAttachment.objects.filter(pk=attachment_id).update(status=AttachmentStatus.FAILED)
    assert refused(initialize(altinn, [person.id_number], existing_attachments=[attachment_id]))["errorCode"] == 1018


def test_more_than_100_attachments(altinn, initialize, person):
    ids = [uuid.uuid4() for _ in range(101)]
    assert refused(initialize(altinn, [person.id_number], existing_attachments=ids))["errorCode"] == 1038


# Idempotent key and notification


def test_an_empty_idempotent_key(altinn, initialize, person):
    body = refused(initialize(altinn, [person.id_number], idempotent_key=uuid.UUID(int=0)))
    assert body["errors"] == {"idempotentKey": ["The idempotency key must be a valid non-empty GUID"]}


def test_an_unknown_notification_template(altinn, initialize, person):
    body = refused(initialize(altinn, [person.id_number], notification={"notificationTemplate": "Fancy"}))
    assert body["errors"] == {"correspondence.notification.notificationTemplate": ["Invalid notification template"]}


@pytest.mark.parametrize(
    ("notification", "code"),
    [
        ({"notificationTemplate": "CustomMessage", "notificationChannel": "Email", "emailSubject": "Hi"}, 3002),
        ({**CUSTOM_EMAIL, "sendReminder": True}, 3003),
        ({"notificationTemplate": "CustomMessage", "notificationChannel": "Sms"}, 3004),
        (
            {
                **CUSTOM_EMAIL,
                "notificationChannel": "Sms",
                "smsBody": "x",
                "sendReminder": True,
                "reminderNotificationChannel": "Sms",
            },
            3005,
        ),
        ({**CUSTOM_EMAIL, "notificationChannel": "EmailPreferred"}, 3006),
        (
            {
                **CUSTOM_EMAIL,
                "sendReminder": True,
                "reminderNotificationChannel": 4,
                "reminderEmailSubject": "a",
                "reminderEmailBody": "b",
            },
            3007,
        ),
    ],
)
def test_a_custom_message_needs_the_texts_of_its_channel(altinn, initialize, person, notification, code):
    assert refused(initialize(altinn, [person.id_number], notification=notification))["errorCode"] == code


# Body


def test_a_body_that_is_not_json(altinn):
    response = altinn.post(INITIALIZE_URL, "{not json", content_type="application/json")
    assert refused(response)["detail"].startswith("The request body is not valid JSON")


def test_trailing_commas_as_in_copied_examples_are_accepted(altinn, person):
    text = '{"correspondence": {"sendersReference": "r", "content": {"language": "nb", "messageTitle": "T",'
    text += f' "messageBody": "B",}},}}, "recipients": ["{person.id_number}",],}}'
    response = altinn.post(INITIALIZE_URL, text, content_type="application/json")
    assert response.status_code == 200
    Dispatch.objects.all().delete()
    Correspondence.objects.all().delete()
