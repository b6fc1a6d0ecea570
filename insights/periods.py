"""The time an insight or an analytics answer covers, and its buckets: days, ISO weeks or months, in UTC."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import models
from django.utils import timezone

from accounts.errors import InvalidValue

MAX_BUCKETS = 400
DEFAULT_DAYS = 30
# Epoch seconds outside these years are refused: no event of this product happened before 1970 or after 2999.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)


class Interval(models.TextChoices):
    DAY = "DAY", "Day"
    WEEK = "WEEK", "Week"
    MONTH = "MONTH", "Month"


class Frequency(models.TextChoices):
    THIS_MONTH = "THIS_MONTH", "This month"
    LAST_MONTH = "LAST_MONTH", "Last month"
    LAST_QUARTER = "LAST_QUARTER", "Last quarter"
    LAST_SIX_MONTHS = "LAST_SIX_MONTHS", "Last six months"


@dataclass(frozen=True)
class Period:
    """Events from `start` (included) to `end` (excluded), counted per `interval`."""

    start: datetime
    end: datetime
    interval: str = Interval.DAY

    def buckets(self) -> list[datetime]:
        starts, current = [], bucket_start(self.start, self.interval)
        while current < self.end:
            starts.append(current)
            current = next_bucket(current, self.interval)
        return starts


def bucket_start(moment: datetime, interval: str) -> datetime:
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if interval == Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval == Interval.MONTH:
        return day.replace(day=1)
    return day


def next_bucket(start: datetime, interval: str) -> datetime:
    if interval == Interval.DAY:
        return start + timedelta(days=1)
    if interval == Interval.WEEK:
        return start + timedelta(weeks=1)
    return add_months(start, 1)


def add_months(start: datetime, months: int) -> datetime:
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1, day=1)


def up_to_now(now: datetime | None = None) -> datetime:
    """The end of a period that runs "up to now", in whole seconds (as the answers show it) and rounded up, so an
    event of this very second is in, and asking again with that end gives the same numbers."""
    now = now or timezone.now()
    return now.replace(microsecond=0) + timedelta(seconds=1) if now.microsecond else now


def frequency_period(frequency: str, now: datetime | None = None, interval: str = Interval.DAY) -> Period:
    """THIS_MONTH up to now; LAST_MONTH and LAST_QUARTER the whole calendar month or quarter before the current
    one; LAST_SIX_MONTHS the current month and the five before it, up to now."""
    now = up_to_now(now)
    month = bucket_start(now, Interval.MONTH)
    if frequency == Frequency.THIS_MONTH:
        return Period(month, now, interval)
    if frequency == Frequency.LAST_MONTH:
        return Period(add_months(month, -1), month, interval)
    if frequency == Frequency.LAST_QUARTER:
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        return Period(add_months(quarter, -3), quarter, interval)
    if frequency == Frequency.LAST_SIX_MONTHS:
        return Period(add_months(month, -5), now, interval)
    raise InvalidValue(f"frequency: use one of {', '.join(Frequency.values)}.", field="frequency")


def parse_epoch(raw, name: str) -> datetime | None:
    """Whole seconds since 1970 (a JSON number or a numeric string); None when not given."""
    if raw is None or raw == "":
        return None
    message = f"{name}: give a date as whole seconds since 1970 (epoch)."
    if isinstance(raw, bool):
        raise InvalidValue(message, field=name)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    try:
        seconds = int(str(raw).strip())
    except ValueError:
        raise InvalidValue(message, field=name) from None
    if not EARLIEST.timestamp() <= seconds < LATEST.timestamp():
        raise InvalidValue(f"{name}: {seconds} is outside the years 1970 to 2999.", field=name)
    return datetime.fromtimestamp(seconds, tz=UTC)


def parse_choice(raw, name: str, choices) -> str | None:
    if raw is None or raw == "":
        return None
    value = str(raw).strip().upper()
    if value not in choices.values:
        raise InvalidValue(f"{name}: use one of {', '.join(choices.values)}.", field=name)
    return value


def resolve_period(*, date_from=None, date_to=None, interval=None, frequency=None, now=None) -> Period:
    """The period asked for: dates, or a frequency, or by default the last 30 days (today and the 29 before)."""
    now = up_to_now(now)
    start, end = parse_epoch(date_from, "date_from"), parse_epoch(date_to, "date_to")
    interval = parse_choice(interval, "interval", Interval) or Interval.DAY
    frequency = parse_choice(frequency, "frequency", Frequency)
    if frequency and (start or end):
        raise InvalidValue("frequency: give either a frequency or dates, not both.", field="frequency")
    if frequency:
        period = frequency_period(frequency, now, interval)
    else:
        end = end or now
        start = start or (bucket_start(end, Interval.DAY) - timedelta(days=DEFAULT_DAYS - 1))
        if start >= end:
            raise InvalidValue("date_from: must be before date_to.", field="date_from")
        period = Period(start, end, interval)
    # A cheap bound first, so a range of centuries by day is refused without counting its days one by one.
    days_per_bucket = {Interval.DAY: 1, Interval.WEEK: 7, Interval.MONTH: 31}[interval]
    rough = (period.end - period.start).days // days_per_bucket
    count = rough if rough > MAX_BUCKETS + 1 else len(period.buckets())
    if count > MAX_BUCKETS:
        raise InvalidValue(
            f"interval: {count} buckets of a {interval.lower()} is more than {MAX_BUCKETS}; "
            "narrow the dates or use a longer interval.",
            field="interval",
        )
    return period


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())
