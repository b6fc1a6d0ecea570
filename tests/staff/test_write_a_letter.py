"""Staff write a letter as a person would: customer and type first, then a box per section, a preview of the
pages as pictures, and save; the saved letter's PDF says what was typed, and a refusal keeps what was typed."""

import io

import pytest
from pypdf import PdfReader

from correspondence.models import Correspondence

from .helpers import success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Your new tariff from 1 May"
BODY = "Dear Ms Georgiou,\n\nyour tariff changes on 1 May.\n\nThe new price is 12.40 EUR a month."
POSTSCRIPT = "Ask us about paying by direct debit."


def choose_customer(page, typed: str, option: str) -> None:
    """Pick the customer in the autocomplete box as a person does: open it, type, click the option."""
    page.click(".field-contact .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.click(f".select2-results__option:has-text('{option}')")


def pdf_text(page, live_server, letter) -> str:
    response = page.request.get(f"{live_server.url}/admin/correspondence/correspondence/{letter.pk}/pdf/")
    assert response.status == 200
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_write_a_letter_preview_its_pages_and_save_it(
    page, live_server, staff_login, screenshot, make_contact, letter_type
):
    maria = make_contact(first_name="Maria", last_name="Georgiou", code="C124", email="maria@example.com")
    make_contact(first_name="Other", last_name="Customer")

    staff_login()
    page.goto(f"{live_server.url}/admin/correspondence/correspondence/")
    page.get_by_role("link", name="Add correspondence").click()
    page.get_by_role("heading", name="Write a letter").wait_for()
    assert page.locator("textarea").count() == 0
    choose_customer(page, "Georgiou", "Maria Georgiou")
    page.get_by_label("Standard letter").check()
    screenshot("step-1-customer-and-type")
    page.get_by_role("button", name="Continue to the letter").click()

    chosen = page.locator(".letter-chosen")
    assert "Maria Georgiou" in chosen.inner_text()
    assert "Standard letter" in chosen.inner_text()
    # One plain box per section, labelled in words and marked when required; no JSON anywhere.
    assert page.locator("label[for=id_section_subject]").inner_text().startswith("Subject")
    assert "required" in page.locator("label[for=id_section_subject]").get_attribute("class")
    assert "required" in page.locator("label[for=id_section_body]").get_attribute("class")
    assert "required" not in (page.locator("label[for=id_section_ps]").get_attribute("class") or "")
    assert page.locator("label[for=id_section_ps]").inner_text().startswith("P.S.")
    assert "{" not in page.locator("#content-main").inner_text()
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Body").fill(BODY)
    page.get_by_label("P.S.").fill(POSTSCRIPT)

    page.get_by_role("button", name="Preview the letter").click()
    first_page = page.get_by_role("img", name="Page 1 of 1 of the letter")
    first_page.wait_for()
    assert first_page.is_visible()
    assert first_page.evaluate("image => image.complete && image.naturalWidth > 500")
    assert "Nothing is saved until you press Save" in page.locator("#letter-preview").inner_text()
    screenshot("step-2-sections-and-preview")
    assert not Correspondence.objects.exists()

    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Email this letter").wait_for()
    saved_page = page.get_by_role("img", name="Page 1 of 1 of the letter")
    saved_page.wait_for()
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    assert saved_page.evaluate("image => image.naturalWidth > 500")
    screenshot("saved-letter")
    assert any("is saved" in message for message in success_messages(page))

    letter = Correspondence.objects.get()
    assert letter.customer == maria
    assert letter.correspondence_type == letter_type
    assert letter.content == {"subject": SUBJECT, "body": BODY, "ps": POSTSCRIPT}
    letter.refresh_from_db()
    assert letter.ready_on is not None
    text = pdf_text(page, live_server, letter)
    assert SUBJECT in text
    assert "your tariff changes on 1 May." in text
    assert "The new price is 12.40 EUR a month." in text
    assert POSTSCRIPT in text


def test_an_error_keeps_what_was_typed(
    page, live_server, staff_login, screenshot, make_contact, make_correspondence, letter_type
):
    maria = make_contact(first_name="Maria", last_name="Georgiou", code="C124")
    earlier = make_correspondence(maria)

    staff_login()
    # The customer page's quick action links here with the customer (and the type list its own) chosen.
    page.goto(
        f"{live_server.url}/admin/correspondence/correspondence/add/"
        f"?contact={maria.pk}&correspondence_type={letter_type.pk}"
    )
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Body").fill("   ")
    page.get_by_label("P.S.").fill(POSTSCRIPT)

    page.get_by_role("button", name="Preview the letter").click()
    page.locator(".letter-preview-errors").wait_for()
    assert "Body: Standard letter needs the section Body." in page.locator(".letter-preview-errors").inner_text()
    assert page.locator("img.letter-page").count() == 0

    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".field-section_body .errorlist").wait_for()
    screenshot("body-missing")
    assert page.locator(".field-section_body .errorlist").inner_text() == "Standard letter needs the section Body."
    assert page.get_by_label("Subject").input_value() == SUBJECT
    assert page.get_by_label("P.S.").input_value() == POSTSCRIPT
    assert "Maria Georgiou" in page.locator(".letter-chosen").inner_text()

    # The service's own refusal shows at the field it names.
    page.get_by_label("Body").fill(BODY)
    page.get_by_label("Number").fill(earlier.number)
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".field-number .errorlist").wait_for()
    screenshot("number-taken")
    assert page.locator(".field-number .errorlist").inner_text() == (
        f"The customer already has correspondence number {earlier.number}."
    )
    assert page.get_by_label("Body").input_value() == BODY
    assert page.get_by_label("Subject").input_value() == SUBJECT
    assert list(Correspondence.objects.all()) == [earlier]

    page.get_by_label("Number").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Email this letter").wait_for()
    written = Correspondence.objects.exclude(pk=earlier.pk).get()
    assert (written.number, written.content["body"]) == ("2", BODY)
