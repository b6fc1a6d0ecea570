"""Staff screens around letters: the types with their sections, the people who also receive a customer's
letters, and each time a letter was emailed."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from accounts.history_admin import ActorColumn, RecordHistoryAdmin

from ...models import CorrespondenceEmail, CorrespondenceRecipient, CorrespondenceSection, CorrespondenceType


class SectionInline(admin.TabularInline):
    model = CorrespondenceSection
    extra = 1
    fields = ["position", "key", "heading", "required", "bold", "postscript"]


@admin.register(CorrespondenceType)
class CorrespondenceTypeAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["name", "is_active", "show_address_block", "show_date", "show_page_numbers", "write_letter"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["name", "description", "is_active"]}),
        (
            "Layout",
            {
                "fields": [
                    "letterhead",
                    "return_address",
                    "show_address_block",
                    "show_date",
                    "closing",
                    "show_page_numbers",
                    "font",
                    "font_size",
                ]
            },
        ),
    ]

    @admin.display(description="")
    def write_letter(self, obj):
        if not obj.is_active:
            return ""
        url = reverse("admin:correspondence_correspondence_add")
        return format_html('<a href="{}?correspondence_type={}">Write a letter of this type</a>', url, obj.pk)


def attachment_words(names) -> str:
    return ", ".join(names or ())


@admin.register(CorrespondenceRecipient)
class CorrespondenceRecipientAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["email", "name", "customer", "receives_correspondence"]
    list_filter = ["receives_correspondence"]
    search_fields = ["email", "name", "customer__code", "customer__last_name", "customer__company_name"]
    autocomplete_fields = ["customer"]


@admin.register(CorrespondenceEmail)
class CorrespondenceEmailAdmin(ActorColumn, admin.ModelAdmin):
    list_display = ["requested_on", "email", "correspondence", "result", "sent_on"]
    list_filter = ["result", "requested_on"]
    search_fields = ["email", "correspondence__number", "message_id"]
    date_hierarchy = "requested_on"
    show_full_result_count = False
    list_select_related = ["correspondence__customer", "correspondence__correspondence_type"]
    readonly_fields = [
        "correspondence",
        "email",
        "attachments",
        "message_id",
        "result",
        "requested_on",
        "by",
        "sent_on",
        "error",
    ]
    fields = readonly_fields

    @admin.display(description="attachments")
    def attachments(self, obj):
        return attachment_words(obj.attachment_names)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
