"""A staff user without a permission sees the back-office's styled refusal, with a way back."""

import pytest
from django.contrib.auth.models import Permission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def test_back_office_staff_opening_the_api_keys_see_a_styled_refusal(
    page, live_server, staff_login, screenshot, django_user_model
):
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", PASSWORD, is_staff=True)
    # Allowed to read activities, not API keys (as back-office staff, who are not supervisors).
    clerk.user_permissions.add(Permission.objects.get(codename="view_activity"))
    staff_login("clerk", PASSWORD)

    response = page.goto(f"{live_server.url}/admin/accounts/apikey/")
    screenshot("refused")

    assert response.status == 403
    assert page.get_by_role("heading", name="You are not allowed to see this page").is_visible()
    assert "signed in as clerk" in page.locator("#content").inner_text()
    assert "403 Forbidden" not in page.content()
    assert page.locator("#header #site-name").inner_text() == "Customer correspondence"

    page.get_by_role("link", name="Back to the back-office").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/admin/"
    assert page.locator(".bo-attention").get_by_text("Overdue activities").is_visible()
    assert page.get_by_role("link", name="View site").count() == 0
