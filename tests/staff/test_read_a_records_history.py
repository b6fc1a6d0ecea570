"""Staff read who changed a record, and from where, at the end of its page."""

import pytest

from accounts.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = {"code": "C777", "first_name": "Anna", "last_name": "Berg", "email": "anna@example.com"}


def test_a_contacts_page_tells_who_created_and_changed_it(page, live_server, staff_login, screenshot, backoffice):
    assert backoffice.post("/backoffice/v2/contacts", PERSON, format="json").status_code == 201
    contact = Contact.objects.get(code="C777")

    staff_login()
    page.goto(f"{live_server.url}/admin/accounts/contact/{contact.pk}/change/")
    page.get_by_text("Edit details").click()
    page.fill("#id_email", "anna.berg@example.com")
    page.click("input[name=_continue]")
    page.wait_for_load_state()

    history = page.locator("ol.record-history li")
    assert history.all_inner_texts()[0].endswith(
        "staff in the back-office changed the email from 'anna@example.com' to 'anna.berg@example.com'"
    )
    assert history.all_inner_texts()[-1].endswith("API key 'test key' (back-office v2 API) created it")
    history.first.scroll_into_view_if_needed()
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot("history-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("history-390")
    assert page.evaluate("document.querySelector('ol.record-history').getBoundingClientRect().right") <= 390
