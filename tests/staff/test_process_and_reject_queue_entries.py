"""Staff process one pending queue entry and reject another with the external system's error."""

import pytest

from communications import services
from communications.models import QueueEntry

from .helpers import confirm_if_asked, error_messages, run_action, success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/communications/queueentry/"


def test_process_a_pending_entry(page, live_server, staff_login, screenshot, make_contact, make_queue_entry):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    entry, other = (
        make_queue_entry(contact=customer, subject="Your bill"),
        make_queue_entry(contact=customer, subject="Your plan"),
    )

    staff_login()
    page.goto(f"{live_server.url}{QUEUE}?state__exact=PENDING")
    screenshot("pending-entries")
    run_action(page, "Process the selected pending entries", entry.number, confirm=False)
    # What is being processed is on the confirmation: the customer, media, system, subject and content.
    listed = page.locator(".confirm-rows").inner_text()
    assert "Maria Georgiou · Email · CONAX Mail message · Your bill · Dear customer" in listed
    assert "Your plan" not in listed
    screenshot("confirm-processing")
    confirm_if_asked(page)
    screenshot("processed")

    assert any(f"Processed: {entry}" in message for message in success_messages(page))
    entry.refresh_from_db()
    other.refresh_from_db()
    assert (entry.state, other.state) == ("COMPLETED", "PENDING")


def test_reject_asks_for_the_error_and_records_it(
    page, live_server, staff_login, screenshot, make_contact, make_queue_entry
):
    entry = make_queue_entry(contact=make_contact(first_name="Maria", last_name="Georgiou"))

    staff_login()
    page.goto(f"{live_server.url}{QUEUE}")
    run_action(page, "Reject the selected pending entries…", entry.number, confirm=False)
    screenshot("reject-form")
    assert "Reject these pending queue entries" in page.inner_text("body")
    assert page.get_by_role("link", name=str(entry)).is_visible()
    assert "Maria Georgiou · Email · CONAX Mail message · Hello · Dear customer" in page.inner_text(".confirm-rows")

    # No entry was rejected before: the only choice is a new code, which needs its description.
    page.select_option("#id_error_code", label="A new code…")
    page.fill("#id_new_error_code", "E42")
    confirm_if_asked(page)
    assert "A new code needs its description." in page.inner_text("body")
    entry.refresh_from_db()
    assert entry.state == "PENDING"

    page.fill("#id_error_description", "Smart card not paired")
    confirm_if_asked(page)
    screenshot("rejected")

    assert any(f"Rejected: {entry}" in message for message in success_messages(page))
    entry.refresh_from_db()
    assert (entry.state, entry.error_code, entry.error_description) == ("REJECTED", "E42", "Smart card not paired")


def test_reject_with_a_code_already_used_takes_its_description(
    page, live_server, staff_login, screenshot, make_contact, make_queue_entry
):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    earlier, entry = make_queue_entry(contact=customer), make_queue_entry(contact=customer, subject="Your new card")
    services.reject_entry(earlier, error_code="E42", error_description="Smart card not paired")

    staff_login()
    page.goto(f"{live_server.url}{QUEUE}?state__exact=PENDING")
    run_action(page, "Reject the selected pending entries…", entry.number, confirm=False)
    codes = page.locator("#id_error_code option").all_inner_texts()
    assert "E42 — Smart card not paired" in codes and "A new code…" in codes
    page.select_option("#id_error_code", label="E42 — Smart card not paired")
    screenshot("reject-with-a-known-code")
    confirm_if_asked(page)

    assert any(f"Rejected: {entry}" in message for message in success_messages(page))
    entry.refresh_from_db()
    assert (entry.state, entry.error_code, entry.error_description) == ("REJECTED", "E42", "Smart card not paired")


def test_the_entry_shows_what_it_asks_for(page, live_server, staff_login, screenshot, make_contact, make_queue_entry):
    customer = make_contact(first_name="Maria", last_name="Georgiou")
    entry = make_queue_entry(
        contact=customer, media="LETTER", subject="Card replacement", content="Please pair card 4410 with box 17."
    )

    staff_login()
    page.goto(f"{live_server.url}{QUEUE}")
    row = page.locator("#result_list tbody tr").filter(has=page.get_by_role("link", name=entry.number, exact=True))
    for shown in ("Maria Georgiou", "Card replacement", "Please pair card 4410 with box 17.", "Letter", "CONAX Mail"):
        assert shown in row.inner_text()
    screenshot("entries-with-content")

    row.get_by_role("link", name=entry.number, exact=True).click()
    body = page.inner_text("#content")
    for shown in ("Maria Georgiou", "Card replacement", "Please pair card 4410 with box 17.", "Letter", "CONAX Mail"):
        assert shown in body
    screenshot("entry-page")
    entry.refresh_from_db()
    assert entry.state == "PENDING"


def test_an_entry_already_processed_is_reported_not_changed(
    page, live_server, staff_login, screenshot, make_contact, make_queue_entry
):
    entry = make_queue_entry(contact=make_contact(first_name="Maria", last_name="Georgiou"))
    QueueEntry.objects.filter(pk=entry.pk).update(state="COMPLETED")

    staff_login()
    page.goto(f"{live_server.url}{QUEUE}")
    run_action(page, "Process the selected pending entries", entry.number)
    screenshot("refused")

    assert any(str(entry) in message for message in error_messages(page))
    entry.refresh_from_db()
    assert entry.state == "COMPLETED"
