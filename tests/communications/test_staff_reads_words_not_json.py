"""Staff read a communication's references and a message's recipients as words and chips, never as JSON."""

import pytest

pytestmark = pytest.mark.django_db


def test_what_a_communication_refers_to_reads_as_words_and_links(staff, make_communication, make_subscription, contact):
    subscription = make_subscription(contact, number="S60302")
    communication = make_communication(referring_to={"subscription": {"number": "S60302"}, "bill": {"number": "B-7"}})

    page = staff.get(f"/admin/communications/communication/{communication.pk}/change/").content.decode()

    assert f'<a href="/admin/accounts/subscription/{subscription.pk}/change/">Subscription S60302</a>' in page
    assert "Bill number B-7" in page
    assert "{&quot;subscription&quot;" not in page and '{"subscription"' not in page


def test_the_list_says_direction_and_media_in_one_column_of_words(staff, make_communication):
    make_communication(subject="Card details")

    page = staff.get("/admin/communications/communication/").content.decode()

    assert "Outgoing · Email" in page


def test_a_messages_recipients_are_chips(staff, make_outbound):
    message = make_outbound(recipients=["kathy.clark@example.com", "accounts@example.com"])

    page = staff.get(f"/admin/communications/outboundmessage/{message.pk}/change/").content.decode()

    assert (
        '<span class="bo-chip">kathy.clark@example.com</span><span class="bo-chip">accounts@example.com</span>' in page
    )
    assert "[&quot;kathy.clark" not in page and '["kathy.clark' not in page
