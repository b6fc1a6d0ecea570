"""From the customer's page, staff log a call and see it at the top of the customer's timeline."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_a_call_from_the_customers_page(
    page, live_server, staff_login, screenshot, make_contact, make_activity, contact
):
    make_activity(name="Visit the meter")
    staff_login()
    page.goto(f"{live_server.url}/admin/accounts/contact/{contact.pk}/change/")

    page.get_by_role("link", name="Log a call").click()
    page.wait_for_load_state()
    assert page.locator("#id_media").input_value() == "PHONE"
    assert contact.full_name in page.locator(".field-contact").inner_text()
    page.fill("#id_subject", "Asked why the bill went up")
    page.fill("#id_content", "Explained the new standing charge; she will pay by direct debit.")
    screenshot("log-a-call")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/admin/accounts/contact/{contact.pk}/change/#timeline")
    assert "Logged phone CM000001." in page.inner_text("ul.messagelist")
    first = page.locator(".ws-moment").first
    assert "Phone: Asked why the bill went up" in first.inner_text()
    assert "Incoming phone · Completed" in first.inner_text()
    screenshot("call-on-the-timeline")
