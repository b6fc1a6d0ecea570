"""Dates and numbers as the CRM.COM R-series family writes them, in its wall-clock zone (settings.CRM_TIME_ZONE)."""

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime

from accounts.errors import InvalidValue


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def crm_zone() -> ZoneInfo:
    return _zone(settings.CRM_TIME_ZONE)


# A day clear of either end of the calendar, so every time zone can show a date stored in between.
EARLIEST = date(1, 1, 2)
LATEST = date(9999, 12, 30)
JAVA_DATE_TIME = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}) "
    r"(?P<time>\d{2}:\d{2}:\d{2}) (?P<zone>[A-Za-z][A-Za-z0-9+-]{0,9}) (?P<year>\d{4})"
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _in_crm_zone(value: datetime) -> datetime:
    try:
        return value.astimezone(crm_zone())
    except OverflowError:  # a stored date at the very end of the calendar: shown in UTC rather than not at all
        return value.astimezone(UTC)


def local_date_time(value: datetime | None) -> str | None:
    """`2015-02-19T09:48:00`: the family's log and date fields."""
    if value is None:
        return None
    return _in_crm_zone(value).replace(tzinfo=None, microsecond=0).isoformat()


def java_date_time(value: datetime | None) -> str | None:
    """`Mon May 05 15:49:59 EEST 2014`: how the family renders date parameters and viewed_on."""
    if value is None:
        return None
    shown = _in_crm_zone(value)
    return f"{shown.strftime('%a %b %d %H:%M:%S')} {shown.tzname()} {shown.year:04d}"


def parse_date_time(value, field: str) -> datetime | None:
    """ISO 8601 date or date-time (without an offset it is read in the family's zone), or the family's own
    `Mon May 22 12:42:03 EEST 2017`; between EARLIEST and LATEST."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        parsed = _parse(text) or _parse_java(text, field)
        if parsed is None:
            raise InvalidValue(
                f"{field} must be a date such as 2014-05-05T15:49:59 or Mon May 05 15:49:59 EEST 2014; got {value!r}.",
                field=field,
            )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=crm_zone())
    if not EARLIEST <= parsed.date() <= LATEST:
        raise InvalidValue(
            f"{field} must fall between {EARLIEST.isoformat()} and {LATEST.isoformat()}; got {value!r}.", field=field
        )
    return parsed


def _parse(text: str) -> datetime | None:
    try:
        parsed = parse_datetime(text)
        if parsed is not None:
            return parsed
        day = parse_date(text)
    except ValueError:
        return None
    return datetime.combine(day, time()) if isinstance(day, date) else None


def _parse_java(text: str, field: str) -> datetime | None:
    """What java_date_time writes; the zone must be UTC, GMT or the name the family's zone has at that time."""
    match = JAVA_DATE_TIME.fullmatch(text)
    if match is None or match["month"] not in MONTHS:
        return None
    try:
        hour, minute, second = (int(part) for part in match["time"].split(":"))
        wall = datetime(int(match["year"]), MONTHS.index(match["month"]) + 1, int(match["day"]), hour, minute, second)
    except ValueError:
        return None
    zone = match["zone"]
    if zone.upper() in ("UTC", "GMT", "Z"):
        return wall.replace(tzinfo=UTC)
    for fold in (0, 1):  # the zone's name tells which of an hour that happens twice is meant
        candidate = wall.replace(tzinfo=crm_zone(), fold=fold)
        try:
            if candidate.tzname() == zone and candidate.astimezone(UTC).astimezone(crm_zone()) == candidate:
                return candidate
        except OverflowError:
            return None
    raise InvalidValue(
        f"{field}: {zone} is not the time zone of the family's dates ({settings.CRM_TIME_ZONE}) on that day; "
        "write the date in ISO 8601 instead.",
        field=field,
    )


def plain_number(value) -> str:
    """10.0 → `10`, 510.41 → `510.41`: numbers in rendered text, without a trailing `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
