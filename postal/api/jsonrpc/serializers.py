"""The shapes seed 002 shows for letters and mailings, member for member and in its order."""

import functools
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from postal.models import LetterStatus

OPENED = ("email_first_opened", "email_last_opened", "doc_first_opened", "doc_last_opened")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def letter_status(row: tuple) -> dict:
    """A row of postal.selectors.STATUS_COLUMNS (times in Unix seconds) as a `letters` entry."""
    ref, dbid, epid, status, idx, received_ts, price, transports, transport, *opened = row
    entry = {
        "price": price,
        "dbid": dbid,
        "epid": epid,
        "ref": ref,
        "status": status,
        "idx": idx,
        "received_ts": received_ts,
    }
    plan = transports if isinstance(transports, list) else _plan(transports)
    if plan[0] == transport:
        entry["transport"] = transport
    else:
        entry["failover"] = True
        entry["transport"] = plan[: plan.index(transport) + 1]
    if any(seconds is not None for seconds in opened):
        entry.update((name, seconds) for name, seconds in zip(OPENED, opened, strict=True) if seconds is not None)
    return entry


@functools.lru_cache(maxsize=64)
def _plan(stored: str) -> list[str]:
    # A handful of distinct transport orders exist, so each is parsed once, not once per letter.
    return json.loads(stored)


def unknown_letter(ref: str) -> dict:
    return {"ref": ref, "status": LetterStatus.UNKNOWN.value}


def unix_date(moment: datetime) -> str:
    """`Fri Jul 24 08:39:21 AEST 2015`, as Unix `date` prints it, in POSTAL_TIME_ZONE."""
    local = moment.astimezone(ZoneInfo(settings.POSTAL_TIME_ZONE))
    return f"{local:%a %b} {local.day:2d} {local:%H:%M:%S} {local.tzname()} {local.year}"


def uploaded_mailing(mailing, letters: list[tuple[str, int]]) -> dict:
    return {
        "epid": mailing.epid,
        "uploaded": epoch(mailing.uploaded_on),
        "uploaded_s": unix_date(mailing.uploaded_on),
        "letters": [{"reference": ref, "idx": idx} for ref, idx in letters],
    }
