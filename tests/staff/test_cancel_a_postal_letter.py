"""Staff cancel a letter at the mail house before it is lodged; a lodged one is refused, row by row."""

import pytest

from postal.models import Letter, LetterStatus

from .helpers import error_messages, run_action, success_messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cancel_a_received_letter_and_be_told_why_a_lodged_one_stays(
    page, live_server, staff_login, screenshot, postal_account, make_mailing
):
    waiting, lodged, other = make_mailing(postal_account, ["INV-1001", "INV-1002", "INV-1003"]).letters.order_by("idx")
    Letter.objects.filter(pk=lodged.pk).update(status=LetterStatus.LODGED)

    staff_login()
    page.goto(f"{live_server.url}/admin/postal/letter/")
    screenshot("letters-at-the-mail-house")
    run_action(page, "Cancel selected letters (only those not yet lodged)", str(waiting.dbid), str(lodged.dbid))
    screenshot("cancelled-and-refused")

    assert any("INV-1001" in message for message in success_messages(page))
    assert any("INV-1002 is Lodged" in message for message in error_messages(page))
    waiting.refresh_from_db()
    assert (waiting.status, waiting.price) == (LetterStatus.CANCELLED, 0)
    assert waiting.cancelled_on is not None
    lodged.refresh_from_db()
    other.refresh_from_db()
    assert (lodged.status, other.status) == (LetterStatus.LODGED, LetterStatus.RECEIVED)
