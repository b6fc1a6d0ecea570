"""An insight as a CSV file: its results (one row per series and bucket) or its records (one row per event).

Rows are produced one at a time, so a response can stream them as they are read from the database."""

import csv
from collections.abc import Iterator
from datetime import UTC, datetime

from django.db import models
from django.utils.text import slugify

from . import engine
from .definition import Definition
from .periods import Period

RESULTS_COLUMNS = ("period_start", "event", "name", "measurement", "breakdown_1", "breakdown_2", "value")
RECORDS_COLUMNS = (
    "event",
    "occurred_on",
    "contact_id",
    "contact_code",
    "contact_name",
    "record_type",
    "record_id",
    "amount",
)


class ExportType(models.TextChoices):
    RESULTS = "RESULTS", "Results: one row per series and period"
    RECORDS = "RECORDS", "Records: one row per event"


class ExportFormat(models.TextChoices):
    CSV = "CSV", "CSV"


class _Line:
    """csv.writer's file: hands back each line it writes."""

    def write(self, text: str) -> str:
        return text


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def results_rows(definition: Definition, period: Period, is_test: bool) -> Iterator[tuple]:
    results = engine.compute_results(definition, period, is_test)
    for series in results.series:
        breakdown = list((series.breakdown or {}).values())
        first, second = (breakdown + ["", ""])[:2]
        for start, value in zip(results.buckets, series.values, strict=True):
            row = (series.choice.event, series.choice.name, series.choice.measurement, first, second, value)
            yield (_iso(start), *("" if cell is None else cell for cell in row))


def records_rows(definition: Definition, period: Period, is_test: bool) -> Iterator[tuple]:
    for record in engine.records(definition, period, is_test):
        contact = record["contact"] or {}
        yield (
            record["event"],
            _iso(datetime.fromtimestamp(record["occurred_on"], tz=UTC)),
            contact.get("id", ""),
            contact.get("code") or "",
            contact.get("name", ""),
            record["record"]["type"],
            record["record"]["id"],
            "" if record["amount"] is None else f"{record['amount']:.2f}",
        )


def csv_lines(export_type: str, definition: Definition, period: Period, is_test: bool) -> Iterator[str]:
    """The header, then one CSV line per row."""
    writer = csv.writer(_Line())
    if export_type == ExportType.RECORDS:
        yield writer.writerow(RECORDS_COLUMNS)
        rows = records_rows(definition, period, is_test)
    else:
        yield writer.writerow(RESULTS_COLUMNS)
        rows = results_rows(definition, period, is_test)
    for row in rows:
        yield writer.writerow(row)


def file_name(insight, export_type: str, period: Period) -> str:
    slug = slugify(insight.name)[:60] or "insight"
    return f"{slug}-{export_type.lower()}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
