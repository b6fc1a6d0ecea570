"""Staff in the admin are refused what the communications services refuse every API (test_domain_rules_api.py): on
the log-a-call form as a field error in words, in an action as the refused row's message; nothing is written."""

import pytest

from communications.models import Communication, OutboundMessage, QueueEntry

pytestmark = pytest.mark.django_db

ADD = "/admin/communications/communication/add/"
COMMUNICATIONS = "/admin/communications/communication/"
QUEUE = "/admin/communications/queueentry/"


def snapshot(record) -> dict:
    return type(record).objects.filter(pk=record.pk).values().get()


def log(staff, contact, **fields):
    body = {"contact": contact.pk, "direction": "OUTGOING", "media": "EMAIL", "subject": "Your bill", "content": "Hi"}
    return staff.post(ADD, {**body, **fields})


@pytest.mark.parametrize(
    ("contact_fields", "fields", "field", "error"),
    [
        ({}, {"to_address": "not an address"}, "to_address", "'not an address' in To is not an email address."),
        ({"email": ""}, {}, "to_address", "To is required when the media is EMAIL."),
        (
            {"phone": ""},
            {"media": "SMS"},
            "to_address",
            "An outgoing SMS needs a number in To, or a phone number on the contact.",
        ),
        ({}, {"media": "SMS", "to_address": "call me maybe"}, "to_address", "'call me maybe' is not a phone number."),
        (
            {"first_name": "Bartholomew" * 9},
            {"subject": " ".join(["#contact_information.first_name"] * 6)},
            "subject",
            "The subject is longer than 500 characters once rendered.",
        ),
    ],
)
def test_logging_what_the_service_refuses_is_a_field_error(staff, make_contact, contact_fields, fields, field, error):
    contact = make_contact(**contact_fields)

    response = log(staff, contact, **fields)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [error]}
    assert not Communication.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_an_outgoing_sms_left_without_a_number_goes_to_the_customers_phone(staff, make_contact):
    contact = make_contact(phone="+35799123456")

    response = log(staff, contact, media="SMS", subject="Meter reading", content="Your reading is due.")

    assert response.status_code == 302
    (message,) = OutboundMessage.objects.all()
    assert (message.channel, message.recipients) == ("SMS", ["+35799123456"])


def act(staff, url, action, records, **fields):
    selected = [str(record.pk) for record in records]
    return staff.post(url, {"action": action, "confirm": "yes", "_selected_action": selected, **fields}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_completed_communication_is_not_completed_again(staff, make_communication):
    completed = make_communication(state="COMPLETED", media="PHONE")
    before = snapshot(completed)

    response = act(staff, COMMUNICATIONS, "complete", [completed])

    assert messages_of(response) == [
        f"Not completed — {completed.number}: Communication {completed.number} is Completed; "
        "only Draft communications can be completed."
    ]
    assert snapshot(completed) == before
    assert not OutboundMessage.objects.exists()


def test_a_draft_is_not_set_as_viewed(staff, make_communication):
    draft = make_communication()
    before = snapshot(draft)

    response = act(staff, COMMUNICATIONS, "set_as_viewed", [draft])

    assert messages_of(response) == [
        f"Not viewed — {draft.number}: Communication {draft.number} is Draft; "
        "only Completed communications can be set as viewed."
    ]
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("action", "state", "fields", "words"),
    [
        ("process", "COMPLETED", {}, "is Completed; only Pending entries can be processed."),
        ("process", "REJECTED", {}, "is Rejected; only Pending entries can be processed."),
        ("reject", "COMPLETED", {"error_code": "01"}, "is Completed; only Pending entries can be rejected."),
        ("remove", "REJECTED", {}, "is Rejected; only Pending or Completed entries can be removed."),
    ],
)
def test_a_queue_entry_changes_state_only_from_the_right_one(staff, make_queue_entry, action, state, fields, words):
    known = make_queue_entry(state="REJECTED")
    QueueEntry.objects.filter(pk=known.pk).update(error_code="01", error_description="Not configured.")
    entry = make_queue_entry(state=state)
    before = snapshot(entry)

    response = act(staff, QUEUE, action, [entry], **fields)

    (message,) = messages_of(response)
    verb = {"process": "processed", "reject": "rejected", "remove": "removed"}[action]
    assert message == f"Not {verb} — queue entry {entry.number}: Queue entry {entry.number} {words}"
    assert snapshot(entry) == before


def test_a_rejection_needs_its_description(staff, make_queue_entry):
    # A code used before without a description offers none to fall back on.
    known = make_queue_entry(state="REJECTED")
    QueueEntry.objects.filter(pk=known.pk).update(error_code="07", error_description="")
    entry = make_queue_entry()
    before = snapshot(entry)

    response = act(staff, QUEUE, "reject", [entry], error_code="07")

    assert messages_of(response) == [f"Not rejected — queue entry {entry.number}: The error description is required."]
    assert snapshot(entry) == before
