"""The dashboard's strip says what needs attention today; each count opens the list of exactly those records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from postal.models import Letter, LetterStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def work_waiting(
    at_noon,
    django_user_model,
    make_outbound,
    make_activity,
    make_queue_entry,
    make_correspondence,
    make_mailing,
    postal_account,
    contact,
):
    me = django_user_model.objects.create_superuser("staff", "staff@example.com", PASSWORD)
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    later_today = timezone.localtime(now).replace(hour=23, minute=0, second=0, microsecond=0)
    make_activity(name="Read the meter", scheduled_from=yesterday, scheduled_to=yesterday + timedelta(hours=1))
    test_mode = make_activity(name="Test-mode visit", scheduled_from=yesterday, scheduled_to=yesterday)
    type(test_mode).objects.filter(pk=test_mode.pk).update(is_test=True)
    make_activity(name="Call Maria back", scheduled_from=later_today, scheduled_to=None, assigned_user=me)
    make_activity(name="Someone else's call", scheduled_from=later_today, scheduled_to=None)
    make_outbound(status="FAILED", attempts=3, subject="Bounced bill")
    make_outbound(status="QUEUED", attempts=1, subject="Retrying reminder")
    make_outbound(status="QUEUED", attempts=0, subject="Not tried yet")
    make_outbound(status="FAILED", attempts=3, subject="Test-mode failure", is_test=True)
    make_queue_entry(subject="Pending for CONAX")
    waiting = make_correspondence(contact)
    type(waiting).objects.filter(pk=waiting.pk).update(ready_on=None)
    make_correspondence(contact)
    make_mailing(postal_account, ["back-to-sender", "on-its-way"])
    Letter.objects.filter(ref="back-to-sender").update(status=LetterStatus.RETURNED, returned_on=now)
    return me


def _strip(page) -> dict[str, tuple[int, str]]:
    counts = {}
    for link in page.locator(".bo-attention a.bo-count").all():
        count = int(link.locator("strong").inner_text())
        counts[link.locator("span").inner_text()] = (count, link.get_attribute("href"))
    return counts


def test_each_count_opens_the_list_of_exactly_those_records(page, live_server, staff_login, screenshot, work_waiting):
    staff_login("staff", PASSWORD)
    screenshot("dashboard")

    strip = _strip(page)
    assert {label: count for label, (count, _) in strip.items()} == {
        "Overdue activities": 1,
        "My activities due today": 1,
        "Messages failed or retrying": 2,
        "Queue entries pending": 1,
        "Letters awaiting their PDF": 1,
        "Letters returned": 1,
    }
    shown = {
        "Overdue activities": ["Read the meter"],
        "My activities due today": ["Call Maria back"],
        "Messages failed or retrying": ["Bounced bill", "Retrying reminder"],
        "Queue entries pending": ["CONAX Mail message"],
        "Letters returned": ["back-to-sender"],
    }
    for label, (count, url) in strip.items():
        page.goto(f"{live_server.url}{url}")
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == count, label
        text = " ".join(rows.all_inner_texts())
        for expected in shown.get(label, []):
            assert expected in text, label
        assert "Test-mode" not in text and "Not tried yet" not in text and "Someone else" not in text
    screenshot("letters-returned")


def test_a_letter_emailed_and_delivered_is_counted_once(page, live_server, staff_login, contact, make_correspondence):
    letter = make_correspondence(contact)
    type(letter).objects.filter(pk=letter.pk).update(emailed_on=timezone.now(), delivered_on=timezone.now())
    make_correspondence(contact)

    staff_login()

    chart = page.locator("figure.bo-chart", has=page.locator("svg[aria-label='Correspondence by status']"))
    assert chart.locator(".bo-total").inner_text() == "2"
    bars = chart.locator("a title").all_text_contents()
    assert bars == [
        "Awaiting its PDF: 0",
        "Ready, not sent: 1",
        "Emailed, not delivered: 0",
        "Delivered: 1",
    ]
    chart.get_by_role("link", name="Delivered: 1").locator("rect").click()
    page.wait_for_load_state()
    assert page.locator("#result_list tbody tr").count() == 1
    assert letter.number in page.locator("#result_list tbody").inner_text()
