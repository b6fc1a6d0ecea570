"""Reference lists, templates and communications: staff read what the API wrote and log calls and emails."""

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from accounts.admin import confirm_then_run
from accounts.admin_words import nested_words
from accounts.history_admin import RecordHistoryAdmin

from .. import referring, services
from ..forms import LogCommunicationForm
from ..models import (
    Category,
    Communication,
    OutboundMessage,
    PrivacyLevel,
    QueueExternalSystem,
    Template,
    UnrestrictedParameter,
)
from .common import ReadOnlyRecordsMixin

ENTITY_WORDS = {"accounts_receivable": "Account"}


def _reference(entity: str, identifier, record) -> str:
    """One entity a communication refers to: a link to the record we hold, else its identifier in words."""
    label = ENTITY_WORDS.get(entity, entity.replace("_", " ").capitalize())
    if record is None:
        return f"{label} {nested_words(identifier)}".strip()
    text = f"{label} {getattr(record, 'number', '') or record}"
    try:
        url = reverse(admin_urlname(record._meta, "change"), args=[record.pk])
    except NoReverseMatch:
        return text
    return format_html('<a href="{}">{}</a>', url, text)


admin.site.register(Category, list_display=["name", "code", "description"], search_fields=["name", "code"])
admin.site.register(
    QueueExternalSystem, list_display=["name", "alternative_code"], search_fields=["name", "alternative_code"]
)
admin.site.register(
    PrivacyLevel, list_display=["name", "alternative_code", "rank"], search_fields=["name", "alternative_code"]
)


@admin.register(Template)
class TemplateAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["name", "direction", "media", "subject", "category"]
    list_filter = ["direction", "media", "category"]
    search_fields = ["name", "subject", "content"]
    fieldsets = [
        (None, {"fields": ["name", "direction", "media", "category", "from_address"]}),
        (
            "Text",
            {
                "fields": ["subject", "content"],
                "description": "May hold placeholders such as #contact_information.first_name, "
                "#subscription.number or #unrestricted_string.name.",
            },
        ),
    ]


class UnrestrictedParameterInline(admin.TabularInline):
    model = UnrestrictedParameter
    extra = 0
    fields = ["key", "type", "string_value", "float_value", "date_value", "integer_value"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OutboundForCommunicationInline(admin.TabularInline):
    model = OutboundMessage
    extra = 0
    fields = ["channel", "status", "attempts", "last_error", "sent_on", "message_id"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Communication)
class CommunicationAdmin(RecordHistoryAdmin, ReadOnlyRecordsMixin, admin.ModelAdmin):
    """Communications are written through the API and services; staff read them and complete drafts here."""

    list_display = [
        "number",
        "contact",
        "kind",
        "subject",
        "state",
        "category",
        "sending_status",
        "viewed_on",
        "created_on",
        "is_test",
    ]
    list_filter = ["state", "media", "direction", "category", "sending_status", "is_test"]
    search_fields = [
        "number",
        "code",
        "subject",
        "contact__first_name",
        "contact__last_name",
        "contact__company_name",
        "contact__email",
        "contact__code",
    ]
    list_select_related = ["contact", "category"]
    words = ("refers_to",)
    date_hierarchy = "created_on"
    show_full_result_count = False
    inlines = [UnrestrictedParameterInline, OutboundForCommunicationInline]
    actions = ["complete", "set_as_viewed"]
    fieldsets = [
        (None, {"fields": ["number", "code", "contact", "state", "direction", "media", "is_test"]}),
        ("Message", {"fields": ["from_address", "to_address", "subject", "content", "notes"]}),
        (
            "Classification",
            {"fields": ["template", "category", "privacy_level", "owned_by_group", "queue_external_system"]},
        ),
        ("Refers to", {"fields": ["refers_to"]}),
        ("Sending", {"fields": ["sending_status", "sending_error", "completed_on", "viewed_on"]}),
        (
            "User-defined fields",
            {
                "classes": ["collapse"],
                "fields": [
                    *(f"udf_string_{n}" for n in range(1, 9)),
                    *(f"udf_float_{n}" for n in range(1, 5)),
                    *(f"udf_date_{n}" for n in range(1, 5)),
                ],
            },
        ),
        ("Log", {"fields": ["created_on", "updated_on", "created_by_user", "updated_by_user"]}),
    ]

    autocomplete_fields = ["contact"]
    add_fieldsets = [(None, {"fields": LogCommunicationForm.Meta.fields})]

    @admin.display(description="direction and media", ordering="media")
    def kind(self, communication):
        # One column for both keeps every column of the list on a 1440 px screen.
        return f"{communication.get_direction_display()} · {communication.get_media_display()}"

    @admin.display(description="refers to")
    def refers_to(self, communication):
        referring_to = communication.referring_to or {}
        held = referring.held_records(referring_to, is_test=communication.is_test)
        parts = [_reference(entity, identifier, held.get(entity)) for entity, identifier in referring_to.items()]
        return format_html_join(" · ", "{}", ((part,) for part in parts)) if parts else "—"

    # Staff log what happened with a customer (a call, an email, a visit); everything else comes from the APIs.
    def has_add_permission(self, request):
        return request.user.has_perm("communications.add_communication")

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if obj else []

    def get_fieldsets(self, request, obj=None):
        return super().get_fieldsets(request, obj) if obj else self.add_fieldsets

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = LogCommunicationForm
            kwargs["fields"] = LogCommunicationForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # A new one was written by the service while its form was checked.

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {"title": "Log a call, an email or a visit", **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        # A communication is logged from its customer's page, and that is where staff go back to.
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Logged {obj.get_media_display().lower()} {obj.number}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:accounts_contact_change", args=[obj.contact_id]) + "#timeline")

    @admin.action(description="Complete the selected drafts (queues or sends them)", permissions=["change"])
    def complete(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.complete_communication,
            "Completed",
            question="Complete these drafts? Emails and SMS among them are sent; the rest are queued.",
        )

    @admin.action(description="Set the selected completed communications as viewed", permissions=["change"])
    def set_as_viewed(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.set_as_viewed,
            "Viewed",
            question="Record these communications as viewed by the customer? This cannot be undone.",
        )
