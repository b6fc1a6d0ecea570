"""Staff email a letter from its own page: the confirmation shows where it goes (editable), the covering email
and the attachments; once confirmed the email arrives and its delivery shows on the letter's page."""

import pytest

from correspondence.models import CorrespondenceEmail, CorrespondenceEmailResult, CorrespondenceRecipient
from correspondence.services import NewAttachment

from .helpers import success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def maria(make_contact):
    customer = make_contact(first_name="Maria", last_name="Georgiou", email="maria@example.com")
    CorrespondenceRecipient.objects.create(customer=customer, name="Her accountant", email="books@example.com")
    return customer


def open_email_page(page, live_server, letter) -> None:
    page.goto(f"{live_server.url}/admin/correspondence/correspondence/")
    page.get_by_role("link", name=letter.number, exact=True).click()
    page.get_by_role("link", name="Email this letter").click()
    page.get_by_role("heading", name=f"Email letter {letter.number}?").wait_for()


def test_email_a_letter_from_its_page(
    page, live_server, staff_login, screenshot, smtp_server, maria, make_correspondence, pdf
):
    letter = make_correspondence(
        maria, attachments=[NewAttachment(name="price-list.pdf", content_type="application/pdf", data=pdf)]
    )

    staff_login()
    open_email_page(page, live_server, letter)
    screenshot("confirmation")
    addresses = page.locator(".letter-address input[type=email]")
    assert [addresses.nth(i).input_value() for i in range(addresses.count())] == [
        "maria@example.com",
        "books@example.com",
        "",
    ]
    covering = page.locator(".letter-covering").inner_text()
    assert "Your new tariff" in covering
    assert "Dear Maria Georgiou," in covering
    assert f"our reference {letter.number}" in covering
    attachments = page.locator(".letter-email-part", has_text="Attachments")
    assert letter.pdf_filename in attachments.inner_text()
    assert page.get_by_label("price-list.pdf").is_checked()
    assert not CorrespondenceEmail.objects.exists()

    # The accountant has a new address; and the customer's office gets it too.
    addresses.nth(1).fill("accounts@georgiou.example")
    addresses.nth(2).fill("office@georgiou.example")
    page.get_by_role("button", name="Add another address").click()
    page.locator(".letter-address input[type=email]").nth(3).fill("maria.work@example.com")
    page.locator(".letter-address").nth(3).get_by_label("Don't send to this one").check()
    screenshot("addresses-edited")
    page.get_by_role("button", name="Yes, email it").click()

    page.locator("#emails-group").wait_for()
    sent_to = ["maria@example.com", "accounts@georgiou.example", "office@georgiou.example"]
    assert any(f"is on its way to {', '.join(sent_to)}" in message for message in success_messages(page))
    # In-process tasks: the emails went out before the page came back, one per address.
    assert sorted(mail.rcpt_tos[0] for mail in smtp_server.received) == sorted(sent_to)
    for mail in smtp_server.received:
        assert mail.message["Subject"] == "Your new tariff"
        assert [part.get_filename() for part in mail.message.iter_attachments()] == [
            letter.pdf_filename,
            "price-list.pdf",
        ]
    assert set(CorrespondenceEmail.objects.values_list("email", "result")) == {
        (address, CorrespondenceEmailResult.SENT) for address in sent_to
    }

    page.reload()
    emails = page.locator("#emails-group")
    emails.scroll_into_view_if_needed()
    screenshot("delivery-on-the-letter")
    shown = emails.inner_text()
    for address in sent_to:
        assert address in shown
    assert emails.locator("td.field-delivery").all_inner_texts() == ["Accepted by the SMTP server"] * 3
    assert f"{letter.pdf_filename}, price-list.pdf" in shown
    assert "[" not in shown
    assert "emailed" in page.locator(".field-statuses").inner_text()

    # The customer's timeline tells the same story, one moment per address, with its delivery in words.
    page.goto(f"{live_server.url}/admin/accounts/contact/{maria.pk}/change/")
    page.locator(".ws-filters a", has_text="Letters emailed").click()
    page.wait_for_load_state()
    screenshot("delivery-on-the-timeline")
    assert sorted(page.locator(".ws-moment-title").all_inner_texts()) == sorted(
        f"Letter {letter.number} emailed to {address}" for address in sent_to
    )
    assert all("· sent on" in moment for moment in page.locator(".ws-moment").all_inner_texts())


def test_a_wrong_address_is_refused_and_nothing_is_sent(
    page, live_server, staff_login, screenshot, smtp_server, maria, make_correspondence
):
    letter = make_correspondence(maria)

    staff_login()
    open_email_page(page, live_server, letter)
    addresses = page.locator(".letter-address input[type=email]")
    addresses.nth(1).fill("books at example dot com")
    page.get_by_role("button", name="Yes, email it").click()
    page.locator(".letter-address .errorlist").wait_for()
    screenshot("wrong-address")

    assert page.locator(".letter-address .errorlist").inner_text() == "Enter a valid email address."
    assert addresses.nth(0).input_value() == "maria@example.com"
    assert addresses.nth(1).input_value() == "books at example dot com"
    assert smtp_server.received == []
    assert not CorrespondenceEmail.objects.exists()

    # Untick everyone: there must be someone to send it to.
    addresses.nth(1).fill("books@example.com")
    for row in range(2):
        page.locator(".letter-address").nth(row).get_by_label("Don't send to this one").check()
    page.get_by_role("button", name="Yes, email it").click()
    page.get_by_text("Name at least one address to email the letter to.").wait_for()
    assert smtp_server.received == []
    assert not CorrespondenceEmail.objects.exists()
