"""Staff find a customer, open their page and read one timeline of everything: filter it by kind, page back."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Account
from activities.models import Activity
from communications.models import Communication, OutboundMessage, QueueEntry
from correspondence import services as correspondence
from correspondence.models import Correspondence, CorrespondenceEmail
from postal import services as postal
from postal.models import Letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = timezone.now().replace(microsecond=0)


def ago(minutes: int):
    return NOW - timedelta(minutes=minutes)


@pytest.fixture
def maria(
    make_contact,
    make_account,
    make_communication,
    make_queue_entry,
    make_activity,
    make_correspondence,
    postal_account,
    site_visit,
):
    """A customer with one record of each kind, minutes apart, and a long tail of older visits."""
    customer = make_contact(first_name="Maria", last_name="Georgiou", email="maria@example.com", code="C777")
    make_contact(first_name="Someone", last_name="Else")
    account = make_account(customer, is_primary=True)
    Account.history.model.objects.filter(id=account.pk).update(history_date=ago(90))
    for n in range(20):
        visit = make_activity(name=f"Routine visit {n + 1}", contact=customer)
        Activity.objects.filter(pk=visit.pk).update(created_on=ago(200 - n))
    call = make_communication(contact=customer, media="PHONE", subject="Asked about the bill", state="COMPLETED", to="")
    Communication.objects.filter(pk=call.pk).update(created_on=ago(70))
    email = make_communication(contact=customer, subject="Your new tariff", state="COMPLETED")
    Communication.objects.filter(pk=email.pk).update(created_on=ago(65))
    OutboundMessage.objects.filter(communication=email).update(
        status="FAILED", last_error="550 5.1.1 mailbox unavailable"
    )
    entry = make_queue_entry(contact=customer, subject="Meter reading")
    QueueEntry.objects.filter(pk=entry.pk).update(created_on=ago(50))
    Communication.objects.filter(pk=entry.communication.pk).update(created_on=ago(55))
    visit = make_activity(name="Check the meter", contact=customer)
    Activity.objects.filter(pk=visit.pk).update(created_on=ago(40))
    letter = make_correspondence(customer)
    Correspondence.objects.filter(pk=letter.pk).update(created_on=ago(30))
    with TestCase.captureOnCommitCallbacks(execute=False):
        (emailed,) = correspondence.email_correspondence(letter)
    CorrespondenceEmail.objects.filter(pk=emailed.pk).update(result="sent", sent_on=ago(19), requested_on=ago(20))
    posted = postal.post_correspondence(letter, postal_account, is_test=False)
    Letter.objects.filter(pk=posted.pk).update(received_on=ago(10))
    accounts.suspend_account(account)
    Account.history.model.objects.filter(id=account.pk, state="SUSPENDED").update(history_date=ago(5))
    return {"customer": customer, "account": account, "letter": letter, "entry": entry, "posted": posted}


def test_find_a_customer_and_read_their_timeline(page, live_server, staff_login, screenshot, maria):
    account, letter, entry = maria["account"], maria["letter"], maria["entry"]
    staff_login()
    page.goto(f"{live_server.url}/admin/accounts/contact/")
    page.fill("#searchbar", "Georgiou")
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()
    page.locator("#result_list tbody tr").first.locator("th a").click()
    page.wait_for_load_state()
    screenshot("customer-workspace")

    assert page.locator("h1").inner_text() == "Maria Georgiou"
    assert page.locator("#contact_form").is_hidden()
    titles = page.locator(".ws-moment-title").all_inner_texts()
    assert titles[:9] == [
        f"Account {account.number} suspended",
        f"Standard letter {letter.number} by post",
        f"Letter {letter.number} emailed to maria@example.com",
        f"Standard letter {letter.number}",
        "Activity: Check the meter",
        f"Queue entry {entry.number}: Meter reading",
        "Email: Meter reading",
        "Email: Your new tariff",
        "Phone: Asked about the bill",
    ]
    bounced = page.locator(".ws-moment", has_text="Your new tariff")
    assert "bounced: 550 5.1.1 mailbox unavailable" in bounced.inner_text()
    assert titles[9:11] == [f"Account {account.number} opened", "Activity: Routine visit 20"]
    assert len(titles) == 25
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440

    page.get_by_role("link", name="Older →").click()
    page.wait_for_load_state()
    older = page.locator(".ws-moment-title").all_inner_texts()
    assert older == [f"Activity: Routine visit {n}" for n in (5, 4, 3, 2, 1)]
    assert "Page 2 · 30 in all" in page.inner_text(".ws-pager")
    screenshot("older-page")

    page.locator(".ws-filters a", has_text="Letters emailed").click()
    page.wait_for_load_state()
    assert page.locator(".ws-moment-title").all_inner_texts() == [
        f"Letter {letter.number} emailed to maria@example.com"
    ]
    page.locator(".ws-filters a", has_text="Postal letters").click()
    page.wait_for_load_state()
    (postal_letter,) = page.locator(".ws-moment").all()
    assert "Received · by post" in postal_letter.inner_text()
    screenshot("postal-letters-only")

    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".ws-filters a", has_text="Everything").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
