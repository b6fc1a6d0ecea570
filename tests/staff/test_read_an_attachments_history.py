"""Staff open a shared attachment and read, in words, every status it has had."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_attachment_page_lists_its_history(page, live_server, staff_login, screenshot, altinn):
    body = {"fileName": "vilkar-2026.pdf", "displayName": "Vilkår 2026", "sendersReference": "ref-7"}
    attachment_id = altinn.post("/correspondence/api/v1/attachment", body, format="json").json()
    altinn.post(
        f"/correspondence/api/v1/attachment/{attachment_id}/upload", PDF_BYTES, content_type="application/octet-stream"
    )

    staff_login()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/admin/correspondence/sharedattachment/{attachment_id}/change/")
    history = page.locator("fieldset, .inline-group").filter(has_text="Status history")
    history.first.wait_for()
    screenshot("attachment")

    text = history.first.inner_text()
    assert text.index("Initialized") < text.index("Upload processing") < text.index("Published")
