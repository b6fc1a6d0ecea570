"""Staff see dispatched correspondence with the customer's other letters, and can purge it from the admin."""

import pytest
from django.urls import reverse

from correspondence.models import DispatchedCorrespondence, DispatchedCorrespondenceStatus

pytestmark = pytest.mark.django_db


def test_dispatched_letters_are_listed_with_the_customers_others(staff, dispatch_one):
    correspondence_id = dispatch_one()
    page = staff.get(reverse("admin:correspondence_correspondence_changelist"))
    assert correspondence_id.encode() in page.content
    assert b"Digital message" in page.content


def test_the_dispatched_correspondence_page_shows_history_and_notifications(staff, dispatch_one):
    correspondence_id = dispatch_one(notification={"notificationTemplate": "GenericAltinnMessage"})
    page = staff.get(reverse("admin:correspondence_dispatchedcorrespondence_change", args=[correspondence_id]))
    assert page.status_code == 200
    assert b"status history" in page.content.lower()
    assert b"Waiting for the correspondence to be published" in page.content


def test_the_purge_action_calls_the_service(staff, dispatch_one):
    correspondence_id = dispatch_one(requestedPublishTime="2099-01-01T00:00:00Z")
    staff.post(
        reverse("admin:correspondence_dispatchedcorrespondence_changelist"),
        {"action": "purge", "confirm": "yes", "_selected_action": [correspondence_id]},
    )
    assert (
        DispatchedCorrespondence.objects.get(pk=correspondence_id).status
        == DispatchedCorrespondenceStatus.PURGED_BY_ALTINN
    )


@pytest.mark.parametrize("model", ["dispatch", "sharedattachment", "dispatchedcorrespondence"])
def test_the_lists_open(staff, dispatch_one, model):
    dispatch_one()
    assert staff.get(reverse(f"admin:correspondence_{model}_changelist")).status_code == 200


def test_the_shared_attachment_page_shows_its_status_history(staff, altinn, upload):
    attachment_id = upload(altinn).json()["attachmentId"]

    page = staff.get(reverse("admin:correspondence_sharedattachment_change", args=[attachment_id]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "status history" in text.lower()
    assert text.index("Initialized") < text.index("Upload processing") < text.rindex("Published")
