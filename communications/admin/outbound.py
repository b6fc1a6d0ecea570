"""Outbound emails and SMS: their delivery in words, and sending failed ones again."""

from django.contrib import admin

from accounts.admin import confirm_then_run
from accounts.admin_words import chips

from .. import services
from ..models import OutboundAttachment, OutboundMessage
from ..selectors import failed_or_retrying
from .common import ReadOnlyRecordsMixin


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
