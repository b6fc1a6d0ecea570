"""Staff screens: finding communications, working the queue with the same services, seeing outbound failures."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils.html import escape

from communications import services
from communications.models import QueueEntry

pytestmark = pytest.mark.django_db


def test_communications_are_found_by_number_subject_and_contact(admin_client, make_communication, seed_names):
    wanted = make_communication(subject="Card expiry", category=seed_names["category"])
    make_communication(subject="Something else", media="PHONE")

    for query in (wanted.number, "Card expiry", wanted.contact.last_name):
        response = admin_client.get("/admin/communications/communication/", {"q": query})
        assert response.status_code == 200
        assert wanted.number in response.text

    filtered = admin_client.get(
        "/admin/communications/communication/",
        {"state__exact": "DRAFT", "media__exact": "EMAIL", "direction__exact": "OUTGOING",
         "category__id__exact": str(seed_names["category"].id)},
    )  # fmt: skip
    assert filtered.status_code == 200
    assert "Card expiry" in filtered.text and "Something else" not in filtered.text
    detail = admin_client.get(f"/admin/communications/communication/{wanted.pk}/change/")
    assert detail.status_code == 200


def test_completing_drafts_from_the_admin_uses_the_service(admin_client, make_communication, seed_names):
    draft = make_communication(queue_external_system=seed_names["conax"])

    response = admin_client.post(
        "/admin/communications/communication/",
        {"action": "complete", "confirm": "yes", ACTION_CHECKBOX_NAME: [str(draft.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.state == "COMPLETED"
    assert QueueEntry.objects.get().communication == draft


@pytest.mark.parametrize(("action", "state"), [("process", "COMPLETED"), ("remove", "COMPLETED_AND_REMOVED")])
def test_queue_actions(admin_client, make_queue_entry, action, state):
    entry = make_queue_entry()

    response = admin_client.post(
        "/admin/communications/queueentry/",
        {"action": action, "confirm": "yes", ACTION_CHECKBOX_NAME: [str(entry.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.state == state


def test_reject_asks_for_the_error_then_records_it(admin_client, make_queue_entry):
    entry = make_queue_entry()
    url = "/admin/communications/queueentry/"

    form = admin_client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [str(entry.pk)]})
    assert form.status_code == 200
    assert "error_description" in form.text
    entry.refresh_from_db()
    assert entry.state == "PENDING"

    done = admin_client.post(
        url,
        {
            "action": "reject",
            "confirm": "yes",
            ACTION_CHECKBOX_NAME: [str(entry.pk)],
            "error_code": "__new__",
            "new_error_code": "01",
            "error_description": "Mailbox of the set-top box is full",
        },
        follow=True,
    )
    assert done.status_code == 200
    entry.refresh_from_db()
    assert (entry.state, entry.error_code, entry.error_description) == (
        "REJECTED",
        "01",
        "Mailbox of the set-top box is full",
    )


def test_a_code_already_used_is_offered_with_its_description(admin_client, make_queue_entry):
    earlier, entry = make_queue_entry(), make_queue_entry()
    services.reject_entry(earlier, error_code="01", error_description="Mailbox of the set-top box is full")
    url = "/admin/communications/queueentry/"

    form = admin_client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [str(entry.pk)]})
    assert '<option value="01">01 — Mailbox of the set-top box is full</option>' in form.text

    refused = admin_client.post(
        url, {"action": "reject", "confirm": "yes", ACTION_CHECKBOX_NAME: [str(entry.pk)], "error_code": "__new__"}
    )
    assert "Type the new code." in refused.text and "A new code needs its description." in refused.text
    entry.refresh_from_db()
    assert entry.state == "PENDING"

    admin_client.post(
        url, {"action": "reject", "confirm": "yes", ACTION_CHECKBOX_NAME: [str(entry.pk)], "error_code": "01"}
    )
    entry.refresh_from_db()
    assert (entry.state, entry.error_code, entry.error_description) == (
        "REJECTED",
        "01",
        "Mailbox of the set-top box is full",
    )


def test_an_illegal_queue_action_is_reported_not_applied(admin_client, make_queue_entry):
    entry = make_queue_entry(state="REJECTED")

    response = admin_client.post(
        "/admin/communications/queueentry/",
        {"action": "process", "confirm": "yes", ACTION_CHECKBOX_NAME: [str(entry.pk)]},
        follow=True,
    )

    assert (
        f"{entry.number}: Queue entry {entry.number} is Rejected; only Pending entries can be processed."
        in response.text
    )
    said = response.text.split('<ul class="messagelist">')[1].split("</ul>")[0]
    assert "PENDING" not in said and "REJECTED" not in said
    entry.refresh_from_db()
    assert entry.state == "REJECTED"


def test_outbound_failures_are_visible(admin_client, make_outbound):
    failed = make_outbound(status="FAILED", attempts=5, last_error="ConnectionRefusedError: [Errno 111]")

    listing = admin_client.get("/admin/communications/outboundmessage/", {"status__exact": "FAILED"})
    detail = admin_client.get(f"/admin/communications/outboundmessage/{failed.pk}/change/")

    assert listing.status_code == 200 and detail.status_code == 200
    assert "ConnectionRefusedError" in listing.text
    assert escape(failed.message_id) in detail.text


@pytest.mark.parametrize("model", ["template", "category", "queueexternalsystem", "privacylevel"])
def test_reference_data_screens_open(admin_client, seed_names, model):
    assert admin_client.get(f"/admin/communications/{model}/").status_code == 200
    assert admin_client.get(f"/admin/communications/{model}/add/").status_code == 200


def test_set_as_viewed_from_the_admin(admin_client, make_communication):
    done = make_communication(state="COMPLETED", media="PHONE")

    admin_client.post(
        "/admin/communications/communication/",
        {"action": "set_as_viewed", "confirm": "yes", ACTION_CHECKBOX_NAME: [str(done.pk)]},
    )

    done.refresh_from_db()
    assert done.viewed_on is not None


def test_failed_messages_can_be_sent_again_from_the_admin(admin_client, make_outbound, smtp_server):
    failed = make_outbound(status="FAILED", attempts=5, last_error="Outcome unknown")

    with_outcome = admin_client.post(
        "/admin/communications/outboundmessage/",
        {"action": "send_again", "confirm": "yes", ACTION_CHECKBOX_NAME: [str(failed.pk)]},
        follow=True,
    )

    assert with_outcome.status_code == 200
    failed.refresh_from_db()
    assert failed.status == "QUEUED"  # the worker is woken after the admin's transaction commits
    assert failed.attempts == 0
