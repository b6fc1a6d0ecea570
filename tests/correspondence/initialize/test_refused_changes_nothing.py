"""Every Altinn write validates everything before its first write: a refused request, however late in the body its
fault, leaves every table of the project as it was (counted row by row) and notifies nobody."""

import json
import uuid

import pytest
from django.core import mail

from tests.fuzzing import rows_everywhere

from .helpers import INITIALIZE_URL, initialize_body
from .numbers import national_identity_number

pytestmark = pytest.mark.django_db

CUSTOM_EMAIL = {"notificationTemplate": "CustomMessage", "emailSubject": "New letter", "emailBody": "Read it."}


@pytest.fixture
def world(altinn, make_person, initialize):
    person = make_person()
    sent = initialize(altinn, [person.id_number], idempotent_key=uuid.UUID(int=7)).json()
    return {"person": person.id_number, "sent": sent["correspondences"][0]["correspondenceId"]}


def initialize_with(world, recipients=None, **correspondence):
    return "POST", INITIALIZE_URL, initialize_body(recipients or [world["person"]], **correspondence)


REFUSED = {
    "a last recipient who is no customer": lambda w: initialize_with(w, [w["person"], national_identity_number(40)]),
    "a last recipient who is no number": lambda w: initialize_with(w, [w["person"], "12345"]),
    "an unknown attachment": lambda w: (
        "POST",
        INITIALIZE_URL,
        {**initialize_body([w["person"]]), "existingAttachments": [str(uuid.UUID(int=1))]},
    ),
    "a title that breaks a line": lambda w: initialize_with(
        w,
        content={"language": "en", "messageTitle": "Your\nnew tariff", "messageSummary": "s", "messageBody": "b"},
    ),
    "a custom email notification with no body": lambda w: initialize_with(
        w, notification={"notificationTemplate": "CustomMessage", "notificationChannel": "Email", "emailSubject": "Hi"}
    ),
    "an email reminder without its texts": lambda w: initialize_with(
        w, notification={**CUSTOM_EMAIL, "sendReminder": True}
    ),
    "a due date in the past": lambda w: initialize_with(w, dueDateTime="2001-01-01T00:00:00Z"),
    "a date that is no date": lambda w: initialize_with(w, requestedPublishTime="tomorrow"),
    "an idempotent key already used": lambda w: (
        "POST",
        INITIALIZE_URL,
        {**initialize_body([w["person"]], sendersReference="other"), "idempotentKey": str(uuid.UUID(int=7))},
    ),
    "an attachment without a file name": lambda w: (
        "POST",
        "/correspondence/api/v1/attachment",
        {"resourceId": "acme-letters", "sendersReference": "a", "displayName": "x\ny"},
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_write_changes_no_row_and_notifies_nobody(altinn, world, case):
    method, url, body = REFUSED[case](world)
    before = rows_everywhere()

    response = altinn.generic(method, url, json.dumps(body), content_type="application/json")

    assert 400 <= response.status_code < 500, response.content
    assert response.json()["status"] == response.status_code and response.json()["title"]
    assert rows_everywhere() == before
    assert mail.outbox == []


def test_a_title_that_breaks_a_line_is_named_as_the_body_names_it(altinn, world):
    _, url, body = REFUSED["a title that breaks a line"](world)

    response = altinn.post(url, body, format="json")

    assert response.status_code == 400
    message = "correspondence.content.messageTitle: Must be a single line, without line breaks or control characters."
    assert response.json()["detail"] == message
    assert response.json()["errors"] == {"correspondence.content.messageTitle": [message]}
