"""Every CRM.COM write validates everything before its first write: a refused request, however late in the body its
fault, leaves every table of the project as it was (counted row by row) and queues or sends nothing."""

import pytest
from django.core import mail

from tests.fuzzing import rows_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(contact, make_communication, make_queue_entry):
    done = make_queue_entry()
    done.__class__.objects.filter(pk=done.pk).update(state="COMPLETED")
    return {
        "contact": {"id": contact.id.hex.upper()},
        "draft": {"number": make_communication(state="DRAFT").number},
        "completed": {"number": make_communication(state="COMPLETED").number},
        "entry": {"number": make_queue_entry().number},
        "done": {"number": done.number},
    }


def email(world, **overrides):
    body = {
        "contact_information_identifier": world["contact"],
        "direction": "OUTGOING",
        "media": "EMAIL",
        "subject": "Your bill",
        "to": "jo@example.com",
        "content": "Dear #unrestricted_string.name",
        "life_cycle_state": "COMPLETED",
    }
    return {**body, **overrides}


REFUSED = {
    "an email to an address that is none": lambda w: ("communications/create", email(w, to="jo@@example")),
    "an email whose template is unknown": lambda w: (
        "communications/create",
        email(w, template_identifier={"name": "Nope"}),
    ),
    "an email referring to an unknown subscription": lambda w: (
        "communications/create",
        email(w, referring_to={"subscription_identifier": {"number": "S00000"}}),
    ),
    "an email whose last parameter is malformed": lambda w: (
        "communications/create",
        email(
            w,
            unrestricted_parameter_set=[
                {"type": "STRING", "string_value": "Jo", "name": "name"},
                {"type": "FLOAT", "float_value": "ten", "name": "amount"},
            ],
        ),
    ),
    "an email whose subject breaks a line": lambda w: ("communications/create", email(w, subject="a\nBcc: x@y.z")),
    "an update whose subject breaks a line": lambda w: (
        "communications/update",
        {"communication_identifier": w["draft"], "content": "New", "subject": "a\nb"},
    ),
    "completing a completed communication": lambda w: (
        "communications/complete",
        {"communication_identifier": w["completed"]},
    ),
    "viewed on a day that is no date": lambda w: (
        "communications/set_as_viewed",
        {"communication_identifier": w["draft"], "viewed_on": "yesterday"},
    ),
    "processing a completed queue entry": lambda w: (
        "communications/queue/process",
        {"communication_queue_identifier": w["done"]},
    ),
    "rejecting without an error code": lambda w: (
        "communications/queue/reject",
        {"communication_queue_identifier": w["entry"], "error_description": "Not configured."},
    ),
    "removing an unknown queue entry": lambda w: (
        "communications/queue/remove",
        {"communication_queue_identifier": {"number": "Q000000"}},
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_write_changes_no_row_and_sends_nothing(crm, world, smtp_server, case):
    method, body = REFUSED[case](world)
    before = rows_everywhere()

    response = crm.post(method, body)

    assert 400 <= response.status_code < 500, response.content
    assert response.json()["status"]["code"] != "OK" and response.json()["data"] is None
    assert rows_everywhere() == before
    assert mail.outbox == [] and smtp_server.received == []
