"""A supervisor sees each API key's requests a minute and gives one key a limit of its own."""

import pytest

from accounts import services
from accounts.models import ApiKey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYS = "/admin/accounts/apikey/"


def test_set_a_keys_own_rate_limit(page, live_server, staff_login, screenshot):
    services.create_api_key("billing system", ["backoffice.read"])
    services.create_api_key("nightly export", ["letters.read"], requests_per_minute=120)

    staff_login()
    page.goto(f"{live_server.url}{KEYS}")
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"keys-{width}")
    page.set_viewport_size({"width": 1440, "height": 900})
    rows = {
        row.locator("th a").inner_text(): row.locator("td.field-rate_limit").inner_text()
        for row in page.locator("#result_list tbody tr").all()
    }
    assert rows == {"billing system": "3,000 (default)", "nightly export": "120"}

    page.get_by_role("link", name="billing system").click()
    page.wait_for_url("**/change/")
    assert "Leave blank for the default of 3,000 a minute." in page.inner_text("body")
    assert page.get_by_label("backoffice.read — Back-office v2: accounts, contacts, activities").is_checked()
    assert "[" not in page.locator("#apikey_form").inner_text()
    page.fill("#id_requests_per_minute", "600")
    page.fill("#id_postal_accounts", "ABC12345, XYZ00001")
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"change-{width}")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("input[name=_save]")
    page.wait_for_load_state()
    screenshot("saved")

    key = ApiKey.objects.get(name="billing system")
    assert (key.requests_per_minute, key.scopes) == (600, ["backoffice.read"])
    assert key.postal_accounts == ["ABC12345", "XYZ00001"]
    assert page.locator("#result_list tr", has_text="billing system").locator("td.field-rate_limit").inner_text() == (
        "600"
    )


def test_a_limit_below_one_is_refused(page, live_server, staff_login, screenshot):
    services.create_api_key("billing system", ["backoffice.read"])

    staff_login()
    page.goto(f"{live_server.url}{KEYS}")
    page.get_by_role("link", name="billing system").click()
    page.wait_for_url("**/change/")
    page.fill("#id_requests_per_minute", "0")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    screenshot("refused")

    assert "Ensure this value is greater than or equal to 1." in page.inner_text("body")
    assert ApiKey.objects.get().requests_per_minute is None
