"""A member of staff who mistypes the password too often is told so on the login page, and when to try again."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def submit(page, live_server, password: str):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", password)
    with page.expect_response(lambda r: r.url.startswith(f"{live_server.url}/admin/login/")) as answer:
        page.click("input[type=submit]")
    page.wait_for_load_state()
    return answer.value


def test_the_lockout_page_says_why_and_when(page, live_server, screenshot, django_user_model):
    django_user_model.objects.create_superuser("staff", "staff@example.com", PASSWORD)
    for n in range(4):
        assert submit(page, live_server, f"wrong {n}").status == 200
    assert "Please enter the correct username and password" in page.inner_text("body")

    locked = submit(page, live_server, "wrong again")

    assert locked.status == 429
    assert locked.headers["retry-after"] == "900"
    note = page.locator("p.errornote")
    assert note.all_inner_texts() == [
        "Too many failed logins for this username or from this address. Try again in 15 minutes."
    ]
    assert page.locator("#id_username").input_value() == "staff"
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"locked-out-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    still_locked = submit(page, live_server, PASSWORD)

    assert still_locked.status == 429
    assert page.url.startswith(f"{live_server.url}/admin/login/")
