"""Every column of the busiest lists shows on a 1440 px screen; on a 390 px phone the rows are labelled cards."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = [
    "/admin/postal/letter/",
    "/admin/communications/communication/",
    "/admin/communications/queueentry/",
    "/admin/activities/activity/",
    "/admin/accounts/contact/",
]
OVERFLOW = """() => {
  const table = document.querySelector('#result_list'), box = document.querySelector('#changelist .results');
  if (!table) return {page: document.documentElement.scrollWidth, table: -1, box: 0};
  return {page: document.documentElement.scrollWidth, table: table.scrollWidth, box: box.clientWidth};
}"""


@pytest.fixture
def busy_lists(
    make_mailing, postal_account, make_communication, make_queue_entry, make_activity, make_subscription, contact
):
    make_subscription(contact, number="S60302")
    make_mailing(postal_account, ["statement-2026-12", "reminder-2026-12"])
    make_communication(
        subject="Information for subscription S60302", referring_to={"subscription": {"number": "S60302"}}
    )
    make_queue_entry()
    soon = timezone.now() + timedelta(days=1)
    make_activity(name="Replace the meter", scheduled_from=soon, scheduled_to=soon + timedelta(hours=2))


def test_every_column_shows_at_1440_px(page, live_server, staff_login, screenshot, busy_lists):
    staff_login()
    page.set_viewport_size({"width": 1440, "height": 900})
    for url in LISTS:
        page.goto(f"{live_server.url}{url}")
        sizes = page.evaluate(OVERFLOW)
        assert sizes["table"] > 0, f"{url} lists nothing"
        assert sizes["page"] <= 1440, url
        assert sizes["table"] <= sizes["box"] + 1, (url, sizes)
    page.goto(f"{live_server.url}/admin/postal/letter/")
    screenshot("postal-letters")
    headings = page.locator("#result_list thead th").all_inner_texts()
    assert "STATUS" in [heading.strip().upper() for heading in headings]


def test_on_a_phone_each_row_is_a_card_of_labelled_values(page, live_server, staff_login, screenshot, busy_lists):
    staff_login()
    page.set_viewport_size({"width": 390, "height": 844})
    for url in LISTS:
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate(OVERFLOW)["page"] <= 390, url
    page.goto(f"{live_server.url}/admin/postal/letter/")
    screenshot("postal-letters-phone")
    status = page.locator("#result_list tbody tr").first.locator("td.field-status")
    assert status.get_attribute("data-label").upper() == "STATUS"
    assert status.inner_text().strip().endswith("Received")
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Sorted by it, the column's heading also holds its sort controls: the label is still the heading alone.
    sort_by_status = page.locator("#result_list thead th.column-status .text a").get_attribute("href")
    page.goto(f"{live_server.url}/admin/postal/letter/{sort_by_status}")
    assert page.locator("#result_list thead th.column-status .sortpriority").count() == 1
    screenshot("postal-letters-sorted-by-status")
    sorted_status = page.locator("#result_list tbody tr").first.locator("td.field-status")
    assert sorted_status.get_attribute("data-label").upper() == "STATUS"


def test_a_customers_address_table_shows_every_column_at_1440_px_and_stacks_on_a_phone(
    page, live_server, staff_login, screenshot, contact
):
    staff_login()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/admin/accounts/contact/{contact.pk}/change/")
    page.get_by_text("Edit details", exact=True).click()

    table = page.locator("#addresses-group table")
    group = page.locator("#addresses-group fieldset").first
    assert table.evaluate("t => t.scrollWidth") <= group.evaluate("g => g.clientWidth") + 1
    assert page.locator("#addresses-group th", has_text="Country code").first.is_visible()
    assert page.locator("#addresses-group th", has_text="Delete?").first.bounding_box()["x"] < 1440
    page.locator("#addresses-group").scroll_into_view_if_needed()
    screenshot("addresses")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    line = page.locator("#addresses-group tr.form-row").first.locator("td.field-address_line_1")
    assert line.get_attribute("data-label").upper() == "ADDRESS LINE 1"
    box = line.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
