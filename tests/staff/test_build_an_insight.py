"""Staff build an insight in Chromium, read its chart and sample at desk and phone widths, and download it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Team
from insights.models import Insight
from tests.insights.conftest import world  # noqa: F401  (records made through the APIs)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def moment(days_ago: int, hour: int) -> str:
    return (timezone.now() - timedelta(days=days_ago)).strftime(f"%Y-%m-%d {hour:02d}:00")


@pytest.fixture
def month_of_work(world):  # noqa: F811
    """A month of communications and activities of four customers, made through the APIs."""
    with world.at(moment(40, 9)):
        people = [world.contact(code=f"C{n}") for n in range(1, 4)] + [world.contact(company=True, code="ACME")]
        support, field = Team.objects.create(name="Support desk"), Team.objects.create(name="Field service")
    media = ["PHONE", "EMAIL", "SMS", "PHONE", "FACE_TO_FACE"]
    for day in range(28, 0, -1):
        for n in range(day % 4 + 1):
            with world.at(moment(day, 8 + n)):
                kind = media[(day + n) % len(media)]
                world.communication(
                    people[(day + n) % 4], media=kind, direction="OUTGOING" if kind != "PHONE" else "INCOMING"
                )
        if day % 3 == 0:
            with world.at(moment(day, 15)):
                world.activity(people[day % 4], team=str((support if day % 2 else field).pk))
    return people


def test_build_read_and_download_an_insight(page, live_server, staff_login, screenshot, month_of_work):
    page.set_viewport_size(DESK)
    staff_login()
    page.locator(".app-insights th[scope=row] a", has_text="Insights").click()
    page.get_by_role("link", name="Add insight").click()
    page.fill("#id_name", "Customer contact by media")
    page.select_option("#id_event_1", label="Communication created")
    page.fill("#id_series_name_1", "Contacts made")
    page.select_option("#id_property_1", label="Contact type")
    page.select_option("#id_operator_1", label="is")
    page.fill("#id_values_1", "PERSON")
    page.select_option("#id_breakdown_1", label="Media")
    screenshot("builder-desk")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()

    insight = Insight.objects.get()
    assert insight.filters == [{"property": "CONTACT_TYPE", "operator": "EQUALS", "values": ["PERSON"]}]
    legend = page.locator(".in-legend li").all_inner_texts()
    assert any(text.startswith("Contacts made · Phone") for text in legend), legend
    assert page.locator(".in-chart polyline").count() == len(legend)
    assert page.locator(".in-sample tbody tr").count() == 10
    screenshot("chart-desk")

    page.select_option("select[name=frequency]", label="This month")
    page.select_option("select[name=interval]", label="Week")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "frequency=THIS_MONTH" in page.url
    screenshot("chart-this-month-desk")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the chart's numbers (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as file:
        text = file.read()
    assert text.startswith("period_start,event,name,measurement,breakdown_1,breakdown_2,value")
    assert "COMMUNICATION_CREATED,Contacts made,COUNT,PHONE" in text

    page.set_viewport_size(PHONE)
    page.goto(page.url)
    chart = screenshot("chart-phone")
    page.locator(".in-view").screenshot(path=str(chart.with_name("chart-phone-close.png")))
    assert page.locator(".in-legend").is_visible()
    sample = page.locator(".in-sample tbody tr").first
    assert sample.is_visible() and "Communication created" in sample.inner_text()
    # Every label fits the phone's width: nothing is cut off on the right.
    assert page.evaluate("document.querySelector('.in-view').scrollWidth <= window.innerWidth")


def test_the_customer_page_shows_the_analytics(page, live_server, staff_login, screenshot, month_of_work):
    page.set_viewport_size(DESK)
    staff_login()
    page.goto(f"{live_server.url}/admin/accounts/contact/{month_of_work[0]}/change/")
    section = page.locator(".ws-figures", has=page.get_by_text("Analytics, last six months"))
    section.scroll_into_view_if_needed()
    screenshot("customer-desk")
    text = section.inner_text()
    assert "Active" in text and "last in touch" in text and "Communications per month" in text

    page.set_viewport_size(PHONE)
    page.reload()
    section.scroll_into_view_if_needed()
    shot = screenshot("customer-phone")
    section.screenshot(path=str(shot.with_name("customer-phone-close.png")))
    assert section.locator("text=Activities").first.is_visible()
