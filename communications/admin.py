from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from accounts.admin import confirm_then_run
from accounts.admin_words import chips, nested_words
from accounts.history_admin import RecordHistoryAdmin
from accounts.models import Contact

from . import referring, selectors, services
from .forms import LogCommunicationForm
from .models import (
    Category,
    Communication,
    OutboundAttachment,
    OutboundMessage,
    PrivacyLevel,
    QueueEntry,
    QueueExternalSystem,
    Template,
    UnrestrictedParameter,
)
from .selectors import failed_or_retrying

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


class ReadOnlyRecordsMixin:
    """Records that change only through services (and admin actions calling them): no add, delete or Save."""

    # Display methods shown in place of JSON fields, so staff read words, not JSON.
    words: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [*(field.name for field in self.model._meta.fields), *self.words]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra_context)


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


class CustomerFilter(admin.SimpleListFilter):
    """Set from the customer's page; offers only that customer, so it stays light with many."""

    title = "customer"
    parameter_name = "customer"

    def lookups(self, request, model_admin):
        customer = Contact.objects.filter(pk=self.value()).first() if self.value() else None
        return [(str(customer.pk), str(customer))] if customer else []

    def queryset(self, request, queryset):
        return queryset.filter(communication__contact_id=self.value()) if self.value() else queryset


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


class OutboundAttachmentInline(admin.TabularInline):
    model = OutboundAttachment
    extra = 0
    fields = ["filename", "content_type", "size"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="size (bytes)")
    def size(self, attachment):
        return len(attachment.content)


class DeliveryFilter(admin.SimpleListFilter):
    """The dashboard's "failed or retrying" count, as a filter of the messages list."""

    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [("failed_or_retrying", "Failed or retrying")]

    def queryset(self, request, queryset):
        return failed_or_retrying(queryset) if self.value() == "failed_or_retrying" else queryset


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyRecordsMixin, admin.ModelAdmin):
    list_display = [
        "created_on",
        "channel",
        "recipient_list",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
        "is_test",
    ]
    list_filter = ["status", DeliveryFilter, "channel", "is_test", "source_type"]
    words = ("recipient_chips", "sent_to_chips")
    fields = [
        "channel",
        "status",
        "from_address",
        "recipient_chips",
        "sent_to_chips",
        "subject",
        "body",
        "html_body",
        "attempts",
        "next_attempt_at",
        "claimed_on",
        "handoff_started_on",
        "message_id",
        "last_error",
        "sent_on",
        "failed_on",
        "source_type",
        "source_id",
        "communication",
        "created_on",
        "updated_on",
        "is_test",
    ]
    search_fields = ["subject", "message_id", "source_id", "recipients", "communication__number"]
    date_hierarchy = "created_on"
    show_full_result_count = False
    list_select_related = ["communication"]
    inlines = [OutboundAttachmentInline]
    actions = ["send_again"]

    @admin.display(description="recipients")
    def recipient_list(self, message):
        return ", ".join(message.recipients)

    @admin.display(description="recipients")
    def recipient_chips(self, message):
        return chips(message.recipients)

    @admin.display(description="sent to")
    def sent_to_chips(self, message):
        return chips(message.sent_to)

    @admin.display(description="last error")
    def short_error(self, message):
        return message.last_error[:80]

    @admin.action(description="Send the selected failed messages again", permissions=["change"])
    def send_again(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.send_again,
            "Queued again",
            question="Send these failed messages again? Each goes out to its recipients once more.",
        )
