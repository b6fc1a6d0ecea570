"""Staff open a letter from the letters list and see its pages on its page, and open or download its PDF."""

import io

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_a_letters_pdf_from_its_change_page(
    page, live_server, staff_login, screenshot, make_contact, make_correspondence
):
    customer = make_contact(first_name="Maria", last_name="Georgiou", email="maria@example.com")
    letter = make_correspondence(
        customer, content={"subject": "Your new tariff", "body": "Your tariff changes on 1 May."}
    )
    assert letter.ready_on is not None

    staff_login()
    page.goto(f"{live_server.url}/admin/correspondence/correspondence/")
    screenshot("letters-list")
    page.get_by_role("link", name=letter.number, exact=True).click()
    page.wait_for_load_state()
    screenshot("letter-page-with-preview")

    first_page = page.get_by_role("img", name="Page 1 of 1 of the letter")
    first_page.scroll_into_view_if_needed()
    assert first_page.evaluate("image => image.complete && image.naturalWidth > 500")
    image = page.request.get(live_server.url + first_page.get_attribute("src"))
    assert (image.status, image.headers["content-type"]) == (200, "image/png")
    assert page.request.get(f"{live_server.url}/admin/correspondence/correspondence/{letter.pk}/pages/2/").status == 404

    preview = page.get_by_role("link", name="Open the PDF", exact=True)
    response = page.request.get(live_server.url + preview.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Your new tariff" in text
    assert "Your tariff changes on 1 May." in text
