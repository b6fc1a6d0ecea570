"""How a letter leaves the mail house: POST through the mail-house adapter."""

from datetime import datetime

from .mailhouse import MailHouseRefused, mail_house
from .models import Letter, Transport


class TransportFailed(Exception):
    """The transport could not carry the letter; the letter fails over to the next one."""


def hand_over(letter: Letter, now: datetime) -> bool:
    """Give the letter to its current transport: True once lodged, False while still in production."""
    if letter.transport == Transport.POST:
        try:
            return mail_house(is_test=letter.is_test).lodge(letter, now)
        except MailHouseRefused as refusal:
            raise TransportFailed(str(refusal)) from None
    raise TransportFailed(f"no {letter.transport} channel is configured")
