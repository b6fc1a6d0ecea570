"""The notifications in the Initialize answer: one order per recipient (and its reminder), with its status."""

import pytest

from accounts.models import Contact
from correspondence.models import NotificationOrder, NotificationState

pytestmark = pytest.mark.django_db

GENERIC = {"notificationTemplate": "GenericAltinnMessage"}


def notifications(altinn, initialize, customer, recipient=None, **notification):
    response = initialize(altinn, [recipient or customer.id_number], notification=notification)
    assert response.status_code == 200, response.content
    return response.json()["correspondences"][0]["notifications"]


def test_success_when_the_recipient_has_an_email(altinn, initialize, make_person):
    person = make_person(1, email="kari@example.com")

    [order] = notifications(altinn, initialize, person, **GENERIC)

    assert order["status"] == "Success"
    assert order["isReminder"] is False
    stored = NotificationOrder.objects.get(pk=order["orderId"])
    assert (stored.email, stored.state) == ("kari@example.com", NotificationState.PENDING)


def test_missing_contact_when_the_recipient_has_no_email(altinn, initialize, make_person):
    [order] = notifications(altinn, initialize, make_person(1, email=""), **GENERIC)
    assert order["status"] == "MissingContact"
    stored = NotificationOrder.objects.get(pk=order["orderId"])
    assert stored.state == NotificationState.NOT_SENT
    assert stored.state_text == "The recipient has no email address"


def test_failure_when_the_recipients_details_cannot_be_used(altinn, initialize, make_person):
    person = make_person(1)
    # A phone saved before contacts were held to E.164 numbers.
    Contact.objects.filter(pk=person.pk).update(phone="call me maybe")
    person.refresh_from_db()
    [order] = notifications(altinn, initialize, person, notificationChannel="Sms", **GENERIC)
    assert order["status"] == "Failure"
    assert (
        "phone number 'call me maybe' cannot be used" in NotificationOrder.objects.get(pk=order["orderId"]).state_text
    )


def test_a_national_phone_number_is_read_as_norwegian(altinn, initialize, make_person):
    [order] = notifications(altinn, initialize, make_person(1, phone="912 34 567"), notificationChannel=1, **GENERIC)
    assert order["status"] == "Success"
    assert NotificationOrder.objects.get(pk=order["orderId"]).phone == "+4791234567"


@pytest.mark.parametrize(
    ("channel", "email", "phone", "expected"),
    [
        ("EmailPreferred", "", "+4791234567", ("", "+4791234567")),
        ("EmailPreferred", "a@example.com", "+4791234567", ("a@example.com", "")),
        ("SmsPreferred", "a@example.com", "", ("a@example.com", "")),
        ("EmailAndSms", "a@example.com", "+4791234567", ("a@example.com", "+4791234567")),
    ],
)
def test_preferred_channels_fall_back(altinn, initialize, make_person, channel, email, phone, expected):
    person = make_person(1, email=email, phone=phone)
    [order] = notifications(altinn, initialize, person, notificationChannel=channel, **GENERIC)
    assert order["status"] == "Success"
    stored = NotificationOrder.objects.get(pk=order["orderId"])
    assert (stored.email, stored.phone) == expected


def test_a_reminder_is_its_own_order(altinn, initialize, make_organisation):
    company = make_organisation(1)

    main, reminder = notifications(
        altinn, initialize, company, f"0192:{company.org_number}", sendReminder=True, **GENERIC
    )

    assert (main["isReminder"], reminder["isReminder"]) == (False, True)
    assert main["orderId"] != reminder["orderId"]
    assert reminder["status"] == "Success"


def test_each_recipient_has_its_own_status(altinn, initialize, make_person):
    reachable, unreachable = make_person(1), make_person(2, email="")
    body = initialize(altinn, [reachable.id_number, unreachable.id_number], notification=GENERIC).json()
    assert [c["notifications"][0]["status"] for c in body["correspondences"]] == ["Success", "MissingContact"]
