"""A correspondence's overview (and details) carries `read` once the recipient marked it as read, and `confirmed`
once confirmed; both are null before."""

from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def overview(altinn, correspondence_id, part=""):
    return altinn.get(f"/correspondence/api/v1/correspondence/{correspondence_id}{part}").json()


def test_read_and_confirmed_appear_when_they_happen(altinn, published):
    correspondence_id = published()
    before = overview(altinn, correspondence_id)

    with time_machine.travel(datetime(2030, 3, 1, 9, 15, tzinfo=UTC), tick=False):
        altinn.post(f"/correspondence/api/v1/correspondence/{correspondence_id}/markasread")
    read = overview(altinn, correspondence_id)
    with time_machine.travel(datetime(2030, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        altinn.post(f"/correspondence/api/v1/correspondence/{correspondence_id}/confirm")
    confirmed = overview(altinn, correspondence_id)
    details = overview(altinn, correspondence_id, "/details")

    assert (before["read"], before["confirmed"]) == (None, None)
    assert (read["status"], read["read"], read["confirmed"]) == ("Read", "2030-03-01T09:15:00Z", None)
    assert (confirmed["read"], confirmed["confirmed"]) == ("2030-03-01T09:15:00Z", "2030-03-02T10:00:00Z")
    assert (details["read"], details["confirmed"]) == (confirmed["read"], confirmed["confirmed"])
