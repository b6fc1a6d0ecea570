"""Any admin list, as filtered, searched and sorted on screen, downloaded as CSV.

Django's csv module rather than django-import-export: staff only need the list they see (its columns, all its
pages), not imports or per-model resources, and one site-wide view reuses each list's own filters and columns."""

import csv
from datetime import date, datetime
from decimal import Decimal

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

CHUNK = 2000
SKIPPED_COLUMNS = {"action_checkbox"}


class Echo:
    """A file-like sink for csv.writer that hands each line back to the streaming response."""

    def write(self, value: str) -> str:
        return value


def export_changelist(site, request, app_label: str, model_name: str):
    model_admin = next(
        (
            admin
            for model, admin in site._registry.items()
            if model._meta.app_label == app_label and model._meta.model_name == model_name
        ),
        None,
    )
    if model_admin is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return HttpResponseBadRequest("The list's filters are not valid; open the list again and export from it.")
    columns = [name for name in changelist.list_display if name not in SKIPPED_COLUMNS]
    model = model_admin.model
    header = [str(label_for_field(name, model, model_admin)) for name in columns]
    rows = (_row(obj, columns, model_admin) for obj in changelist.queryset.iterator(chunk_size=CHUNK))
    writer = csv.writer(Echo())
    lines = (writer.writerow(line) for line in _with_header(header, rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    name = slugify(model._meta.verbose_name_plural)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def _with_header(header, rows):
    yield header
    yield from rows


def _row(obj, columns, model_admin) -> list[str]:
    return [_cell(obj, name, model_admin) for name in columns]


def _cell(obj, name: str, model_admin) -> str:
    field, _, value = lookup_field(name, obj, model_admin)
    if field is not None and getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
    return _text(value)


def _text(value) -> str:
    # Dates in ISO 8601 and the back-office's time zone: what spreadsheets read as dates.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return strip_tags(str(value))
