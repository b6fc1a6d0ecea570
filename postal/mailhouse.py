"""The mail house: the carrier that prints and posts letters sent by the POST transport.

`POSTAL_MAIL_HOUSE` names the adapter for live letters. Test-mode letters always go to the simulator,
so a sandbox integration never puts paper in the post.
"""

from abc import ABC, abstractmethod
from datetime import datetime

from django.conf import settings
from django.db.models.functions import Mod
from django.utils.module_loading import import_string

from .models import Letter, LetterStatus, Transport


class MailHouseRefused(Exception):
    """The carrier will not take the letter; the letter fails over to its next transport."""


class MailHouse(ABC):
    def __init__(self, *, is_test: bool):
        self.is_test = is_test

    @abstractmethod
    def lodge(self, letter: Letter, now: datetime) -> bool:
        """Hand the letter to the carrier: True once it is lodged, False while it is still in production.

        Called again on every lodging sweep until it answers True, so it must be idempotent per letter
        (`letter.dbid`). Raises MailHouseRefused when the carrier will not take the letter.
        """

    @abstractmethod
    def returned_letters(self, now: datetime) -> list[tuple[str, str, str]]:
        """(postal account code, reference, reason) of letters the carrier has returned and we may not know of yet."""


class SimulatedMailHouse(MailHouse):
    """Lodges a letter once it has been in production for POSTAL_SIMULATOR_LODGE_AFTER, and returns
    POSTAL_SIMULATOR_RETURN_SHARE of posted letters POSTAL_SIMULATOR_RETURN_AFTER after lodging.

    Which letters come back is decided by their dbid, so a run can be repeated and tested.
    """

    BUCKETS = 10_000
    RETURN_REASON = "Addressee unknown at this address (simulated return)"

    def lodge(self, letter: Letter, now: datetime) -> bool:
        return now >= letter.received_on + settings.POSTAL_SIMULATOR_LODGE_AFTER

    def returned_letters(self, now: datetime) -> list[tuple[str, str, str]]:
        share = settings.POSTAL_SIMULATOR_RETURN_SHARE
        if share <= 0:
            return []
        letters = (
            Letter.objects.in_mode(self.is_test)
            .filter(
                status=LetterStatus.LODGED,
                transport=Transport.POST,
                lodged_on__lte=now - settings.POSTAL_SIMULATOR_RETURN_AFTER,
            )
            .alias(bucket=Mod("dbid", self.BUCKETS))
            .filter(bucket__lt=round(share * self.BUCKETS))
        )
        return [
            (account, ref, self.RETURN_REASON) for account, ref in letters.values_list("postal_account__code", "ref")
        ]


def mail_house(*, is_test: bool) -> MailHouse:
    adapter = SimulatedMailHouse if is_test else import_string(settings.POSTAL_MAIL_HOUSE)
    return adapter(is_test=is_test)


def mail_houses() -> list[MailHouse]:
    """One adapter per mode, for sweeps that ask the carriers what happened."""
    return [mail_house(is_test=False), mail_house(is_test=True)]
