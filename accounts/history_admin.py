"""The record's history on its admin page: who changed what, from which path, in plain words."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .history_words import acted_by, history_lines

HISTORY_FIELD = "record_history"


class RecordHistoryAdmin:
    """Mix into a ModelAdmin of a record kept with `RecordHistory`: its change page ends with a History section."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != HISTORY_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None:
            fieldsets.append(("History", {"fields": [HISTORY_FIELD]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, HISTORY_FIELD] if obj is not None else fields

    @admin.display(description="Who changed what")
    def record_history(self, obj):
        lines = history_lines(obj)
        if not lines:
            return "No changes recorded yet."
        items = format_html_join(
            "",
            '<li><time datetime="{}">{}</time> — {}</li>',
            ((line.on.isoformat(), line.when, line.text) for line in lines),
        )
        return format_html('<ol class="record-history">{}</ol>', items)


class ActorColumn:
    """`by`, a column of who acted on a status change or an emailing, for an admin or an inline."""

    @admin.display(description="by")
    def by(self, row) -> str:
        return acted_by(row)
