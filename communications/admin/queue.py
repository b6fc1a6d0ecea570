"""Queue entries: what the external system is asked to act on, processed, rejected and removed by staff."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from accounts.admin import confirm_then_run
from accounts.admin_filters import CustomerFilter as BaseCustomerFilter
from accounts.history_admin import RecordHistoryAdmin

from .. import selectors, services
from ..models import QueueEntry
from .common import ReadOnlyRecordsMixin


class CustomerFilter(BaseCustomerFilter):
    customer_field = "communication__contact_id"


def entry_summary(entry) -> str:
    """What staff read of an entry before acting on it: customer, media, external system, subject and content."""
    communication = entry.communication
    parts = [
        str(communication.contact),
        communication.get_media_display(),
        str(entry.external_system or "no external system"),
        communication.subject,
        Truncator(communication.content).chars(120),
    ]
    return " · ".join(part for part in parts if part)


NEW_CODE = "__new__"


class RejectForm(forms.Form):
    """The error codes entries were already rejected with, each with its description, or a new one."""

    error_code = forms.ChoiceField(label="Error code")
    new_error_code = forms.CharField(max_length=40, required=False, label="New error code")
    error_description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Description",
        help_text="Leave blank to use the chosen code's description; a new code needs one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = {row["error_code"]: row["description"] or "" for row in selectors.rejection_reasons()}
        choices = [(code, f"{code} — {text}" if text else code) for code, text in self.known.items()]
        self.fields["error_code"].choices = [
            *([("", "Choose a code…"), ("Codes already used", choices)] if choices else []),
            (NEW_CODE, "A new code…"),
        ]

    def clean(self):
        data = super().clean()
        code, description = data.get("error_code"), (data.get("error_description") or "").strip()
        if code == NEW_CODE:
            code = (data.get("new_error_code") or "").strip()
            if not code:
                self.add_error("new_error_code", "Type the new code.")
            if not description:
                self.add_error("error_description", "A new code needs its description.")
        elif code:
            description = description or self.known.get(code, "")
        if self.errors:
            return data
        return {"error_code": code, "error_description": description}


@admin.register(QueueEntry)
class QueueEntryAdmin(RecordHistoryAdmin, ReadOnlyRecordsMixin, admin.ModelAdmin):
    # What the external system is asked to act on, so staff never process or reject blind.
    list_display = [
        "number",
        "customer",
        "subject",
        "content_excerpt",
        "communication_media",
        "external_system",
        "state",
        "error_code",
        "created_on",
    ]
    list_filter = ["state", "external_system", "communication__media", CustomerFilter, "is_test"]
    search_fields = ["number", "communication__number", "communication__subject", "error_code"]
    list_select_related = ["communication__contact", "external_system"]
    date_hierarchy = "created_on"
    show_full_result_count = False
    actions = ["process", "reject", "remove"]
    fieldsets = [
        (
            "What the external system is asked to act on",
            {"fields": ["customer", "subject", "content", "communication_media", "external_system", "communication"]},
        ),
        ("State", {"fields": ["number", "state", "error_code", "error_description", "processed_on", "rejected_on"]}),
        ("Record", {"fields": ["is_test", "created_on", "updated_on"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "customer", "subject", "content", "communication_media"]

    @admin.display(description="customer", ordering="communication__contact__last_name")
    def customer(self, entry):
        contact = entry.communication.contact
        return format_html('<a href="{}">{}</a>', reverse("admin:accounts_contact_change", args=[contact.pk]), contact)

    @admin.display(description="subject", ordering="communication__subject")
    def subject(self, entry):
        return entry.communication.subject or "—"

    @admin.display(description="content")
    def content_excerpt(self, entry):
        return Truncator(entry.communication.content).chars(60) or "—"

    @admin.display(description="content")
    def content(self, entry):
        # linebreaks escaped the text itself and only added its paragraphs.
        return mark_safe(linebreaks(entry.communication.content or "—", autoescape=True))

    @admin.display(description="media", ordering="communication__media")
    def communication_media(self, entry):
        return entry.communication.get_media_display()

    def has_process_permission(self, request):
        return request.user.has_perm("communications.process_queueentry")

    @admin.action(description="Process the selected pending entries", permissions=["process"])
    def process(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset.select_related("communication__contact", "external_system"),
            services.process_entry,
            "Processed",
            question="Mark these queue entries as processed by their external system? This cannot be undone.",
            describe=entry_summary,
        )

    @admin.action(description="Reject the selected pending entries…", permissions=["process"])
    def reject(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset.select_related("communication__contact", "external_system"),
            services.reject_entry,
            "Rejected",
            question="Reject these pending queue entries with the external system's error below?",
            form_class=RejectForm,
            describe=entry_summary,
        )

    @admin.action(description="Remove the selected pending or completed entries", permissions=["process"])
    def remove(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset.select_related("communication__contact", "external_system"),
            services.remove_entry,
            "Removed",
            question="Remove these queue entries from the queue? This cannot be undone.",
            describe=entry_summary,
        )
