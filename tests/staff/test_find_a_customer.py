"""Staff log in, search a customer by name and open their page with addresses and accounts."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_find_a_customer(page, live_server, staff_login, screenshot, make_contact, make_account):
    customer = make_contact(first_name="Maria", last_name="Georgiou", email="maria@example.com")
    account = make_account(customer, is_primary=True)
    make_contact(first_name="Someone", last_name="Else")

    staff_login()
    screenshot("admin-index")
    page.goto(f"{live_server.url}/admin/accounts/contact/")
    page.fill("#searchbar", "Georgiou")
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()
    screenshot("search-results")

    results = page.locator("#result_list tbody tr")
    assert results.count() == 1
    results.first.locator("th a").click()
    page.wait_for_load_state()
    screenshot("customer-page")

    body = page.inner_text("body")
    assert "2265 Oak Street" in body
    assert account.number in body


def test_wrong_password_is_refused(page, live_server, django_user_model, screenshot):
    django_user_model.objects.create_superuser("staff", "staff@example.com", "correct horse battery")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "wrong")
    page.click("input[type=submit]")
    screenshot("refused")

    assert "/admin/login/" in page.url
    assert "Please enter the correct username and password" in page.inner_text("body")
