"""The record's history on its admin page: who changed what, from which path, in plain words."""

from functools import wraps

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .history_words import acted_by, history_lines

HISTORY_FIELD = "record_history"
HISTORY_TITLE = "History"


class RecordHistoryAdmin:
    """Mix into a ModelAdmin of a record kept with `RecordHistory`: its change page ends with a History section.

    The section is added to whatever fieldsets and read-only fields the admin computes, even when a subclass
    overrides `get_fieldsets` or `get_readonly_fields` without calling the mixin."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.get_fieldsets = _ending_with_history(cls.get_fieldsets)
        cls.get_readonly_fields = _showing_history(cls.get_readonly_fields)

    @admin.display(description="Who changed what")
    def record_history(self, obj):
        lines = history_lines(obj)
        if not lines:
            return "No changes recorded yet."
        rows = ((line.on.isoformat(), line.when, line.text) for line in lines)
        items = format_html_join("", '<li><time datetime="{}">{}</time> — {}</li>', rows)
        return format_html('<ol class="record-history">{}</ol>', items)


def _ending_with_history(get_fieldsets):
    if getattr(get_fieldsets, "ends_with_history", False):
        return get_fieldsets

    @wraps(get_fieldsets)
    def with_history(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [field for field in options["fields"] if field != HISTORY_FIELD]})
            for name, options in get_fieldsets(self, request, obj)
        ]
        fieldsets = [(name, options) for name, options in fieldsets if options["fields"] or name != HISTORY_TITLE]
        if obj is not None:
            fieldsets.append((HISTORY_TITLE, {"fields": [HISTORY_FIELD]}))
        return fieldsets

    with_history.ends_with_history = True
    return with_history


def _showing_history(get_readonly_fields):
    if getattr(get_readonly_fields, "shows_history", False):
        return get_readonly_fields

    @wraps(get_readonly_fields)
    def with_history(self, request, obj=None):
        fields = [field for field in get_readonly_fields(self, request, obj) if field != HISTORY_FIELD]
        return [*fields, HISTORY_FIELD] if obj is not None else fields

    with_history.shows_history = True
    return with_history


class ActorColumn:
    """`by`, a column of who acted on a status change or an emailing, for an admin or an inline."""

    @admin.display(description="by")
    def by(self, row) -> str:
        return acted_by(row)
