"""Staff log a call or an email from the customer's page: written through the service, back on the customer."""

import pytest

from communications.models import Communication, OutboundMessage

pytestmark = pytest.mark.django_db

ADD = "/admin/communications/communication/add/"


def test_the_form_opens_prefilled_with_the_customer_and_media(staff, contact):
    response = staff.get(f"{ADD}?contact={contact.pk}&media=PHONE")

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert (str(form.initial["contact"]), form.initial["media"]) == (str(contact.pk), "PHONE")
    assert form["direction"].value() == "INCOMING"


def test_a_logged_call_is_a_completed_communication_and_staff_land_on_the_customer(staff, contact):
    response = staff.post(
        f"{ADD}?contact={contact.pk}&media=PHONE",
        {
            "contact": contact.pk,
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Asked about the bill",
            "content": "Explained the standing charge.",
        },
    )

    call = Communication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/accounts/contact/{contact.pk}/change/#timeline"
    assert (call.contact, call.media, call.state, call.number) == (contact, "PHONE", "COMPLETED", "CM000001")
    assert not OutboundMessage.objects.exists()
    page = staff.get(response["Location"]).content.decode()
    assert "Logged phone CM000001." in page and "Phone: Asked about the bill" in page


def test_an_outgoing_email_is_sent_to_the_customer(staff, contact):
    staff.post(
        ADD,
        {"contact": contact.pk, "direction": "OUTGOING", "media": "EMAIL", "subject": "Your bill", "content": "Hi"},
    )

    (message,) = OutboundMessage.objects.all()
    assert message.recipients == [contact.email] and message.communication.subject == "Your bill"


def test_what_the_service_refuses_is_a_field_error_and_nothing_is_written(staff, contact):
    response = staff.post(
        ADD,
        {
            "contact": contact.pk,
            "direction": "OUTGOING",
            "media": "EMAIL",
            "to_address": "not an address",
            "subject": "Your bill",
            "content": "Hi",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["to_address"] == [
        "'not an address' in To is not an email address."
    ]
    assert not Communication.objects.exists() and not OutboundMessage.objects.exists()


def test_staff_without_the_add_permission_cannot_log(client, contact, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)

    assert client.get(ADD).status_code == 403
