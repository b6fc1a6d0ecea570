import logging
from datetime import UTC, datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from accounts.errors import DomainError

from . import services
from .catalogue import EVENTS, PROPERTIES, Measurement
from .charts import time_chart
from .forms import EVENT_ROWS, FILTER_ROWS, InsightForm, PeriodForm
from .models import Insight

log = logging.getLogger(__name__)

RECORD_PAGES = {
    "CONTACT": ("admin:accounts_contact_change", "Contact"),
    "ACCOUNT": ("admin:accounts_account_change", "Account"),
    "COMMUNICATION": ("admin:communications_communication_change", "Communication"),
    "OUTBOUND_MESSAGE": ("admin:communications_outboundmessage_change", "Email or SMS"),
    "QUEUE_ENTRY": ("admin:communications_queueentry_change", "Queue entry"),
    "CORRESPONDENCE": ("admin:correspondence_correspondence_change", "Letter"),
    "POSTAL_LETTER": ("admin:postal_letter_change", "Postal letter"),
    "ACTIVITY": ("admin:activities_activity_change", "Activity"),
}


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    form = InsightForm
    list_display = ["name", "charts", "is_test", "updated_on", "creator"]
    list_filter = ["is_test"]
    search_fields = ["name", "description"]
    readonly_fields = ["is_test", "created_on", "updated_on", "creator"]
    change_form_template = "admin/insights/insight/change_form.html"

    def get_fieldsets(self, request, obj=None):
        events = [(f"event_{n}", f"measurement_{n}", f"series_name_{n}") for n in range(1, EVENT_ROWS + 1)]
        filters = [(f"property_{n}", f"operator_{n}", f"values_{n}") for n in range(1, FILTER_ROWS + 1)]
        record = [("Record", {"fields": ["is_test", "created_on", "updated_on", "creator"], "classes": ["collapse"]})]
        return [
            (None, {"fields": ["name", "description"]}),
            ("Events", {"fields": events, "description": "What to count, one line each (up to five)."}),
            ("Filters", {"fields": filters, "description": "Only events that match every filter are counted."}),
            ("Breakdowns", {"fields": [("breakdown_1", "breakdown_2"), "breakdown_limit"]}),
            *(record if obj else []),
        ]

    @admin.display(description="charts")
    def charts(self, insight: Insight) -> str:
        return ", ".join(
            f"{EVENTS[e['event']].label} ({Measurement(e['measurement']).label.lower()})" for e in insight.events
        ) + (f" by {', '.join(PROPERTIES[d].label.lower() for d in insight.breakdowns)}" if insight.breakdowns else "")

    @admin.display(description="created by")
    def creator(self, insight: Insight) -> str:
        return (insight.created_by or {}).get("name", "—")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by_key", "created_by_user")

    def save_model(self, request, obj, form, change):
        definition = form.definition
        parts = {
            "events": definition["events"],
            "filters": definition["filters"],
            "breakdowns": definition["breakdowns"],
            "limit": definition["limit"],
        }
        if change:
            services.update_insight(obj, name=form.cleaned_data["name"], description=form.cleaned_data["description"])
            services.configure_insight(obj, **parts)
            return
        created = services.create_insight(
            is_test=False,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            user=request.user,
            **parts,
        )
        obj.pk, obj.created_on, obj._state.adding = created.pk, created.created_on, False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        insight = self.get_object(request, object_id)
        if insight is not None and request.method == "GET":
            extra_context = {**(extra_context or {}), **self._chart_context(request, insight)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _chart_context(self, request, insight: Insight) -> dict:
        period = PeriodForm(request.GET or None)
        params = period.params() if request.GET else {}
        context = {"period_form": period, "export_query": request.GET.urlencode()}
        if not insight.events:
            return {**context, "chart_problem": "Add an event below to see the chart."}
        try:
            results, sample = services.preview(insight, params)
        except DomainError as error:
            return {**context, "chart_problem": error.message.split(": ", 1)[-1]}
        return {**context, "chart": time_chart(results), "results": results, "sample": [_row(r) for r in sample]}

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("<uuid:pk>/export/<str:kind>/", export, name="insights_insight_export"), *super().get_urls()]

    def export_view(self, request, pk, kind):
        if not self.has_view_permission(request):
            raise PermissionDenied
        insight = get_object_or_404(Insight, pk=pk)
        params = {**PeriodForm(request.GET or None).params(), "type": kind.upper()}
        try:
            name, lines = services.export(insight, params)
        except DomainError as error:
            self.message_user(request, f"Not exported — {error.message.split(': ', 1)[-1]}", messages.ERROR)
            change = reverse("admin:insights_insight_change", args=[insight.pk])
            return redirect(f"{change}?{request.GET.urlencode()}" if request.GET else change)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _row(record: dict) -> dict:
    """A sample event as staff read it: names and links, no codes."""
    page, kind = RECORD_PAGES[record["record"]["type"]]
    try:
        record_url = reverse(page, args=[record["record"]["id"]])
    except NoReverseMatch:
        record_url = ""
    contact = record["contact"]
    contact_link = ""
    if contact:
        url = reverse("admin:accounts_contact_change", args=[contact["id"]])
        label = f"{contact['name']} ({contact['code']})" if contact["code"] else contact["name"]
        contact_link = format_html('<a href="{}">{}</a>', url, label or "unnamed")
    return {
        "occurred_on": datetime.fromtimestamp(record["occurred_on"], tz=UTC),
        "event": EVENTS[record["event"]].label,
        "contact": contact_link or "—",
        "record": format_html('<a href="{}">{}</a>', record_url, kind) if record_url else kind,
        "amount": "" if record["amount"] is None else f"{record['amount']:.2f}",
    }
