"""CRM.COM (seed 003) refuses what the communications services refuse (test_domain_rules_admin.py), in its own
status envelope with the seed's field names, and nothing is written. A value outside the seed's lists
(`life_cycle_state`) or a blank the seed marks mandatory is refused by the family's own request checks first."""

import pytest

from communications.models import Communication, OutboundMessage, QueueEntry

pytestmark = pytest.mark.django_db


def snapshot(record) -> dict:
    return type(record).objects.filter(pk=record.pk).values().get()


def refusal(code: str, message: str, description: str) -> dict:
    return {"status": {"code": code, "message": message, "description": description}, "data": None}


@pytest.mark.parametrize(
    ("contact_fields", "change", "answer"),
    [
        (
            {},
            {"to": "not an address"},
            refusal("INVALID_VALUE", "'not an address' in to is not an email address.", "to"),
        ),
        ({"email": ""}, {"to": None}, refusal("MISSING_PARAMETER", "to is required when the media is EMAIL.", "to")),
        (
            {"phone": ""},
            {"media": "SMS", "to": None},
            refusal(
                "MISSING_PARAMETER", "An outgoing SMS needs a number in to, or a phone number on the contact.", "to"
            ),
        ),
        (
            {},
            {"media": "SMS", "to": "call me maybe"},
            refusal("INVALID_VALUE", "'call me maybe' is not a phone number.", "to"),
        ),
        (
            {"first_name": "Bartholomew" * 9},
            {"subject": " ".join(["#contact_information.first_name"] * 6)},
            refusal("INVALID_VALUE", "The subject is longer than 500 characters once rendered.", "subject"),
        ),
        (
            {},
            {"life_cycle_state": "SENT"},
            refusal(
                "INVALID_VALUE",
                'life_cycle_state: "SENT" is not a valid choice.',
                'life_cycle_state, "SENT" is not a valid choice.',
            ),
        ),
    ],
)
def test_creating_what_the_domain_refuses_is_refused(crm, make_contact, contact_fields, change, answer):
    contact = make_contact(**contact_fields)
    body = {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "EMAIL",
        "to": "john@example.com",
        "subject": "Your bill",
        "content": "Hi",
        **change,
    }

    response = crm.post("communications/create", {k: v for k, v in body.items() if v is not None})

    assert (response.status_code, response.json()) == (400, answer)
    assert not Communication.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_an_update_to_an_unknown_state_is_refused(crm, make_communication):
    draft = make_communication()
    before = snapshot(draft)

    response = crm.post(
        "communications/update",
        {"communication_identifier": {"number": draft.number}, "life_cycle_state": "SENT", "subject": "Changed"},
    )

    assert (response.status_code, response.json()) == (
        400,
        refusal(
            "INVALID_VALUE",
            'life_cycle_state: "SENT" is not a valid choice.',
            'life_cycle_state, "SENT" is not a valid choice.',
        ),
    )
    assert snapshot(draft) == before


def test_a_completed_communication_is_not_completed_again(crm, make_communication):
    completed = make_communication(state="COMPLETED", media="PHONE")
    before = snapshot(completed)

    response = crm.post("communications/complete", {"communication_identifier": {"number": completed.number}})

    message = f"Communication {completed.number} is COMPLETED; only DRAFT communications can be completed."
    assert (response.status_code, response.json()) == (
        400,
        refusal("INVALID_STATE_TRANSITION", message, "communication_identifier"),
    )
    assert snapshot(completed) == before


def test_a_draft_is_not_set_as_viewed(crm, make_communication):
    draft = make_communication()
    before = snapshot(draft)

    response = crm.post("communications/set_as_viewed", {"communication_identifier": {"number": draft.number}})

    message = f"Communication {draft.number} is DRAFT; only COMPLETED communications can be set as viewed."
    assert (response.status_code, response.json()) == (
        400,
        refusal("INVALID_STATE_TRANSITION", message, "communication_identifier"),
    )
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("action", "state", "fields", "words"),
    [
        ("process", "COMPLETED", {}, "is COMPLETED; only PENDING entries can be processed."),
        ("process", "REJECTED", {}, "is REJECTED; only PENDING entries can be processed."),
        (
            "reject",
            "COMPLETED",
            {"error_code": "01", "error_description": "Not configured."},
            "is COMPLETED; only PENDING entries can be rejected.",
        ),
        ("remove", "REJECTED", {}, "is REJECTED; only PENDING or COMPLETED entries can be removed."),
    ],
)
def test_a_queue_entry_changes_state_only_from_the_right_one(crm, make_queue_entry, action, state, fields, words):
    entry = make_queue_entry(state=state)
    before = snapshot(entry)

    response = crm.post(
        f"communications/queue/{action}", {"communication_queue_identifier": {"number": entry.number}, **fields}
    )

    assert (response.status_code, response.json()) == (
        400,
        refusal("INVALID_STATE_TRANSITION", f"Queue entry {entry.number} {words}", "communication_queue_identifier"),
    )
    assert snapshot(entry) == before


def test_a_rejection_needs_its_description(crm, make_queue_entry):
    entry = make_queue_entry()
    before = snapshot(entry)

    response = crm.post(
        "communications/queue/reject",
        {"communication_queue_identifier": {"number": entry.number}, "error_code": "07", "error_description": " "},
    )

    assert (response.status_code, response.json()) == (
        400,
        refusal(
            "MISSING_PARAMETER",
            "error_description: This field may not be blank.",
            "error_description, This field may not be blank.",
        ),
    )
    assert snapshot(entry) == before
    assert not QueueEntry.objects.filter(state="REJECTED").exists()
