"""`fields_set` that is not a text (or a list of texts) is refused in the family's envelope before anything is
written: a client that retries never creates a duplicate or completes twice."""

import pytest

from communications.models import Communication

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fields_set", [5, 2.5, {"number": 1}, ["number"], True])
def test_create_with_a_fields_set_that_is_not_text_creates_nothing(crm, contact, fields_set):
    body = {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Called about the bill",
        "content": "Notes",
        "fields_set": fields_set,
    }

    response = crm.post("communications/create", body)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["data"] is None
    assert body["status"]["code"] == "INVALID_VALUE"
    assert "fields_set must be a text of comma-separated field names." in body["status"]["message"]
    assert Communication.objects.count() == 0


def test_complete_with_a_numeric_fields_set_leaves_the_draft_a_draft(crm, make_communication, smtp_server):
    draft = make_communication()

    response = crm.post(
        "communications/complete", {"communication_identifier": {"number": draft.number}, "fields_set": 5}
    )

    assert response.status_code == 400
    assert response.json()["status"]["code"] == "INVALID_VALUE"
    assert Communication.objects.get(pk=draft.pk).state == "DRAFT"
    assert smtp_server.received == []


def test_a_text_of_names_still_narrows_the_answer(crm, make_communication):
    draft = make_communication()

    response = crm.post(
        "communications/complete",
        {"communication_identifier": {"number": draft.number}, "fields_set": "number,life_cycle_state"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"number": draft.number, "life_cycle_state": "COMPLETED"}
