"""Staff email a letter to its customer from the letters list and see the email recorded on its page."""

import pytest

from correspondence.models import CorrespondenceEmail, CorrespondenceEmailResult

from .helpers import run_action, success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_email_a_letter_and_see_the_email_recorded(
    page, live_server, staff_login, screenshot, smtp_server, make_contact, make_correspondence
):
    customer = make_contact(first_name="Maria", last_name="Georgiou", email="maria@example.com")
    letter = make_correspondence(customer)
    untouched = make_correspondence(make_contact(first_name="Other", last_name="Customer", email="other@example.com"))

    staff_login()
    page.goto(f"{live_server.url}/admin/correspondence/correspondence/?customer={customer.pk}")
    screenshot("customers-letters")
    run_action(page, "Email selected correspondence to the customer and its recipients", letter.number)
    screenshot("queued-for-email")
    assert any("Queued for email" in message for message in success_messages(page))

    # In-process tasks: the email went out before the page came back.
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["maria@example.com"]]
    attachments = [part.get_filename() for part in smtp_server.received[0].message.iter_attachments()]
    assert attachments == [letter.pdf_filename]
    record = CorrespondenceEmail.objects.get(correspondence=letter)
    assert (record.email, record.result) == ("maria@example.com", CorrespondenceEmailResult.SENT)
    letter.refresh_from_db()
    assert letter.emailed_on is not None
    assert not CorrespondenceEmail.objects.filter(correspondence=untouched).exists()

    page.goto(f"{live_server.url}/admin/correspondence/correspondence/{letter.pk}/change/")
    emails = page.locator("#emails-group")
    emails.scroll_into_view_if_needed()
    screenshot("email-on-letter-page")
    recorded = emails.inner_text()
    assert "maria@example.com" in recorded
    assert "Accepted by the SMTP server" in recorded
