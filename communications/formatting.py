"""Dates and numbers as the CRM.COM R-series family writes them, in its wall-clock zone (settings.CRM_TIME_ZONE)."""

from datetime import date, datetime, time
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


def local_date_time(value: datetime | None) -> str | None:
    """`2015-02-19T09:48:00`: the family's log and date fields."""
    if value is None:
        return None
    return value.astimezone(crm_zone()).strftime("%Y-%m-%dT%H:%M:%S")


def java_date_time(value: datetime | None) -> str | None:
    """`Mon May 05 15:49:59 EEST 2014`: how the family renders date parameters and viewed_on."""
    if value is None:
        return None
    return value.astimezone(crm_zone()).strftime("%a %b %d %H:%M:%S %Z %Y")


def parse_date_time(value, field: str) -> datetime | None:
    """ISO 8601 date or date-time; without an offset it is read in the family's zone."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        parsed = _parse(text)
        if parsed is None:
            raise InvalidValue(f"{field} must be a date such as 2014-05-05T15:49:59; got {value!r}.", field=field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=crm_zone())
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


def plain_number(value) -> str:
    """10.0 → `10`, 510.41 → `510.41`: numbers in rendered text, without a trailing `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
