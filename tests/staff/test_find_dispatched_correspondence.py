"""Staff find the correspondence an Initialize dispatched, with its history and notification, and the emails
sent of a customer's letters, from the admin's index, on a wide and a phone-sized screen."""

import pytest
from django.db import transaction

from accounts.models import ApiKey
from accounts.services import create_api_key
from correspondence import services
from correspondence.recipients import parse_recipient
from tests.correspondence.initialize.numbers import national_identity_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"wide": 1440, "phone": 390}


@pytest.fixture
def dispatched(make_contact):
    """One Initialize to Kari Nordmann with an email notification, as the API would make it."""
    customer = make_contact(first_name="Kari", last_name="Nordmann", id_number=national_identity_number(7))
    raw = create_api_key("Tax office", scopes=["correspondence.write"])
    with transaction.atomic():
        services.initialize_dispatch(
            sender=ApiKey.objects.get(hashed_key=ApiKey.hash(raw)),
            recipients=[parse_recipient(customer.id_number)],
            content=services.MessageContent(language="en", title="Your tax assessment", body="It is ready."),
            senders_reference="case-4711",
            requested_publish_time=None,
            notification=services.NotificationRequest(template="GenericAltinnMessage"),
        )
    return customer


@pytest.mark.parametrize("screen", WIDTHS)
def test_find_a_dispatched_correspondence_and_its_history(
    page, live_server, staff_login, screenshot, dispatched, screen
):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    staff_login()
    page.get_by_role("link", name="Dispatched correspondence", exact=True).click()
    screenshot(f"dispatched-correspondence-{screen}")
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1 and dispatched.id_number in row.inner_text()

    row.get_by_role("link", name=dispatched.id_number).click()
    screenshot(f"one-dispatched-correspondence-{screen}")
    # In-process tasks: it was published and its notification sent before the page was asked for.
    history = page.locator("#status_events-group").inner_text()
    assert all(step in history for step in ("Initialized", "Ready for publish", "Published"))
    orders = page.locator("#notification_orders-group").inner_text()
    assert "Created with the recipient's contact details" in orders and "Sent" in orders
    assert "{" not in history + orders, "no raw JSON in front of staff"


@pytest.mark.parametrize("screen", WIDTHS)
def test_the_emails_of_letters_are_listed_under_their_own_name(
    page, live_server, staff_login, screenshot, smtp_server, make_contact, make_correspondence, screen
):
    letter = make_correspondence(make_contact(first_name="Maria", last_name="Georgiou", email="maria@example.com"))
    with transaction.atomic():
        services.email_correspondence(letter)

    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    staff_login()
    page.get_by_role("link", name="Correspondence emails", exact=True).click()
    screenshot(f"correspondence-emails-{screen}")
    assert page.locator("h1").inner_text() == "Select correspondence email to view"
    row = page.locator("#result_list tbody tr").inner_text()
    assert "maria@example.com" in row and "Accepted by the SMTP server" in row
