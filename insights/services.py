"""Writes on insights, and what an insight shows. Every way in (API, admin) calls these."""

import logging
from collections.abc import Iterator

from django.db import transaction

from accounts.errors import InvalidValue, MissingValue

from . import engine
from .definition import Definition, check_together, parse_breakdowns, parse_events, parse_filters, parse_limit
from .exports import ExportFormat, ExportType, csv_lines, file_name
from .models import Insight
from .periods import Period, parse_choice, resolve_period

log = logging.getLogger(__name__)

MAX_NAME = 100
MAX_DESCRIPTION = 2000


def _name(raw) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise MissingValue("name")
    if not isinstance(raw, str):
        raise InvalidValue("name: give a string.", field="name")
    name = raw.strip()
    if len(name) > MAX_NAME:
        raise InvalidValue(f"name: at most {MAX_NAME} characters.", field="name")
    return name


def _description(raw) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidValue("description: give a string or null.", field="description")
    if len(raw) > MAX_DESCRIPTION:
        raise InvalidValue(f"description: at most {MAX_DESCRIPTION} characters.", field="description")
    return raw.strip() or None


@transaction.atomic
def create_insight(
    *,
    is_test: bool,
    name,
    description=None,
    user=None,
    api_key=None,
    events=None,
    filters=None,
    breakdowns=None,
    limit=None,
) -> Insight:
    """A new insight; its events, filters and breakdowns may be given at once (the admin does) or later."""
    insight = Insight(
        is_test=is_test,
        name=_name(name),
        description=_description(description),
        created_by_user=user,
        created_by_key=api_key,
    )
    _apply(insight, events, filters, breakdowns, limit)
    insight.save()
    log.info("insight.created id=%s test=%s", insight.id, is_test)
    return insight


@transaction.atomic
def update_insight(insight: Insight, **changes) -> Insight:
    """Change the name or description given; `description=None` clears it."""
    unknown = set(changes) - {"name", "description"}
    if unknown:
        raise InvalidValue(f"Cannot update {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    if not changes:
        raise MissingValue("name", "Give the name or the description to change.")
    insight = _locked(insight)
    if "name" in changes:
        insight.name = _name(changes["name"])
    if "description" in changes:
        insight.description = _description(changes["description"])
    insight.save(update_fields=["name", "description", "updated_on"])
    log.info("insight.updated id=%s fields=%s", insight.id, ",".join(sorted(changes)))
    return insight


@transaction.atomic
def configure_insight(insight: Insight, *, events=None, filters=None, breakdowns=None, limit=None) -> Insight:
    """Replace whichever of the events, filters and breakdowns are given; the result must hold together."""
    insight = _locked(insight)
    _apply(insight, events, filters, breakdowns, limit)
    insight.save(update_fields=["events", "filters", "breakdowns", "breakdown_limit", "updated_on"])
    log.info("insight.configured id=%s events=%d filters=%d", insight.id, len(insight.events), len(insight.filters))
    return insight


def set_events(insight: Insight, events) -> Insight:
    return configure_insight(insight, events=_required(events, "events"))


def set_filters(insight: Insight, filters) -> Insight:
    return configure_insight(insight, filters=_required(filters, "filters"))


def set_breakdowns(insight: Insight, breakdowns, limit=None) -> Insight:
    return configure_insight(insight, breakdowns=_required(breakdowns, "breakdowns"), limit=limit)


@transaction.atomic
def delete_insight(insight: Insight) -> None:
    insight.delete()
    log.info("insight.deleted id=%s", insight.id)


def _required(value, name: str):
    if value is None:
        raise MissingValue(name)
    return value


def _locked(insight: Insight) -> Insight:
    # Events, filters and breakdowns are checked against each other: concurrent changes queue behind the row lock.
    return Insight.objects.select_for_update().get(pk=insight.pk)


def _apply(insight: Insight, events, filters, breakdowns, limit) -> None:
    definition = _combined(insight.definition, events, filters, breakdowns, limit, check_events=False)
    insight.events = [choice.as_json() for choice in definition.events]
    insight.filters = [condition.as_json() for condition in definition.filters]
    insight.breakdowns = list(definition.breakdowns)
    insight.breakdown_limit = definition.limit


def _combined(stored: Definition, events, filters, breakdowns, limit, *, check_events: bool = True) -> Definition:
    """The stored definition with the parts given replaced, checked as a whole."""
    parsed_events = parse_events(events) if events is not None else stored.events
    parsed_filters = parse_filters(filters) if filters is not None else stored.filters
    if breakdowns is not None:
        parsed_breakdowns, parsed_limit = parse_breakdowns(breakdowns, limit)
    else:
        parsed_breakdowns, parsed_limit = stored.breakdowns, parse_limit(limit) if limit is not None else stored.limit
    check_together(parsed_events, parsed_filters, parsed_breakdowns)
    if check_events and not parsed_events:
        raise InvalidValue(
            "events: the insight has no events yet; add them with POST /insights/{id}/events.", field="events"
        )
    return Definition(parsed_events, parsed_filters, parsed_breakdowns, parsed_limit)


def period_asked(params) -> Period:
    return resolve_period(
        date_from=params.get("date_from"),
        date_to=params.get("date_to"),
        interval=params.get("interval"),
        frequency=params.get("frequency"),
    )


def insight_results(insight: Insight, params) -> engine.Results:
    """The insight's series over the period the parameters ask for (by default the last 30 days by day)."""
    definition = _combined(insight.definition, None, None, None, None)
    return engine.compute_results(definition, period_asked(params), insight.is_test)


def preview(insight: Insight, overrides) -> tuple[engine.Results, list[dict]]:
    """The results and a sample of events, with any of the events, filters, breakdowns and limit replaced for
    this answer only: nothing is saved."""
    definition = _combined(
        insight.definition,
        overrides.get("events"),
        overrides.get("filters"),
        overrides.get("breakdowns"),
        overrides.get("limit"),
    )
    period = period_asked(overrides)
    results = engine.compute_results(definition, period, insight.is_test)
    return results, engine.sample(definition, period, insight.is_test)


def export(insight: Insight, params) -> tuple[str, Iterator[str]]:
    """The file name and the CSV lines of an export. Everything is checked before the first line is produced, so
    a refusal is a clean error rather than a cut-off file."""
    export_format = parse_choice(params.get("format"), "format", ExportFormat) or ExportFormat.CSV
    export_type = parse_choice(params.get("type"), "type", ExportType) or ExportType.RESULTS
    definition = _combined(insight.definition, None, None, None, None)
    period = period_asked(params)
    if export_type == ExportType.RECORDS:
        engine.check_record_count(definition, period, insight.is_test)
    log.info("insight.exported id=%s type=%s format=%s", insight.id, export_type, export_format)
    return file_name(insight, export_type, period), csv_lines(export_type, definition, period, insight.is_test)
