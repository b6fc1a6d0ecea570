from django.contrib import admin

from accounts.admin import run_per_row

from . import services
from .models import OutboundAttachment, OutboundMessage


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


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
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
    list_filter = ["status", "channel", "is_test", "source_type"]
    search_fields = ["subject", "message_id", "source_id", "recipients"]
    date_hierarchy = "created_on"
    list_select_related = ["communication"]
    inlines = [OutboundAttachmentInline]
    actions = ["send_again"]
    readonly_fields = [
        "channel",
        "from_address",
        "recipients",
        "delivered_to",
        "subject",
        "body",
        "html_body",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_on",
        "handoff_started_on",
        "message_id",
        "last_error",
        "sent_on",
        "source_type",
        "source_id",
        "communication",
        "is_test",
        "created_on",
        "updated_on",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="recipients")
    def recipient_list(self, message):
        return ", ".join(message.recipients)

    @admin.display(description="last error")
    def short_error(self, message):
        return message.last_error[:80]

    @admin.action(description="Send the selected failed messages again", permissions=["change"])
    def send_again(self, request, queryset):
        run_per_row(self, request, queryset, services.send_again, "Queued again")
