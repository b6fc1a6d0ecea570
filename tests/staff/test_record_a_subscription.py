"""Staff record a customer's subscription in the admin, see its number given, and are stopped, in words, when they
move it to a state its life cycle does not allow."""

import pytest

from accounts.models import Subscription, SubscriptionType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, NARROW = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def choose(page, field: str, typed: str, option: str) -> None:
    """Pick a value in an autocomplete box as a person does: open it, type, click the option."""
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.click(f".select2-results__option:has-text('{option}')")


def test_record_a_subscription_then_stop_at_an_illegal_state(
    page, live_server, staff_login, screenshot, make_contact, make_account
):
    maria = make_contact(first_name="Maria", last_name="Georgiou", code="C124")
    account = make_account(maria, name="Georgiou household")
    SubscriptionType.objects.create(name="Normal Subscription", alternative_code="ST")

    staff_login()
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}/admin/accounts/subscription/add/")
    choose(page, "contact", "Georgiou", "Maria Georgiou")
    choose(page, "account", "Georgiou", "Georgiou household")
    page.select_option("#id_type", label="Normal Subscription")
    page.select_option("#id_state", label="Effective")
    screenshot("new-subscription-1440")
    page.click("input[name=_save]")

    page.locator("#result_list").get_by_role("link", name="S00001").wait_for()
    screenshot("subscriptions-1440")
    subscription = Subscription.objects.get()
    assert (subscription.number, subscription.account, subscription.state) == ("S00001", account, "EFFECTIVE")

    page.locator("#result_list").get_by_role("link", name="S00001").click()
    page.select_option("#id_state", label="Cancelled")
    page.click("input[name=_continue]")
    page.select_option("#id_state", label="Effective")
    page.click("input[name=_continue]")
    page.locator(".errorlist").first.wait_for()

    assert "A cancelled subscription cannot become effective." in page.locator(".errorlist").all_inner_texts()
    page.set_viewport_size(NARROW)
    screenshot("refused-state-390")
    subscription.refresh_from_db()
    assert (subscription.state, subscription.closed_on is not None) == ("CANCELLED", True)


def test_find_the_guid_integrators_assign_activities_to(page, live_server, staff_login, screenshot, agent):
    staff_login()
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}/admin/auth/user/?q=j_doe")
    page.get_by_role("link", name="j_doe@crm.com").click()
    page.locator(".field-guid").scroll_into_view_if_needed()
    screenshot("user-guid-1440")

    assert str(agent.identifier.guid) in page.locator(".field-guid").inner_text()
    page.set_viewport_size(NARROW)
    screenshot("user-guid-390")
