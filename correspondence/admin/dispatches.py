"""Staff screens of Altinn dispatches (/correspondence/api/v1/): dispatched correspondence with its history,
notification orders and the purge action, the dispatches, and the shared attachments."""

from django.contrib import admin

from accounts.admin import confirm_then_run
from accounts.history_admin import ActorColumn, RecordHistoryAdmin

from .. import services
from ..models import (
    Dispatch,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatusEvent,
    NotificationOrder,
    SharedAttachment,
    SharedAttachmentStatusEvent,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusEventInline(ActorColumn, ReadOnlyInline):
    model = DispatchedCorrespondenceStatusEvent
    fields = ["changed_on", "status", "status_text", "by"]
    verbose_name_plural = "status history"


class NotificationOrderInline(ReadOnlyInline):
    model = NotificationOrder
    fields = [
        "id",
        "is_reminder",
        "channel",
        "status",
        "email",
        "phone",
        "state",
        "state_text",
        "send_after",
        "sent_on",
    ]


@admin.register(DispatchedCorrespondence)
class DispatchedCorrespondenceAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["recipient", "correspondence", "status", "status_changed", "published_on", "dispatch"]
    list_filter = ["status", "is_test", "dispatch__notification_template"]
    search_fields = ["recipient", "dispatch__senders_reference", "correspondence__customer__company_name"]
    list_select_related = ["correspondence", "dispatch"]
    readonly_fields = [
        "correspondence",
        "dispatch",
        "recipient",
        "status",
        "status_text",
        "status_changed",
        "publish_at",
        "published_on",
        "read_on",
        "confirmed_on",
        "purged_on",
        "is_test",
    ]
    fields = readonly_fields
    inlines = [StatusEventInline, NotificationOrderInline]
    actions = ["purge"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Purge the selected correspondence", permissions=["delete"])
    def purge(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.purge,
            "Purged",
            question="Purge these correspondence records? Their content is gone for good.",
        )


class DispatchedCorrespondenceInline(ReadOnlyInline):
    model = DispatchedCorrespondence
    fields = ["recipient", "correspondence", "status", "status_changed", "published_on"]
    show_change_link = True


@admin.register(Dispatch)
class DispatchAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["message_title", "senders_reference", "sender", "publish_at", "notification_template", "created_on"]
    list_filter = ["is_test", "notification_template", "is_confirmation_needed"]
    search_fields = ["senders_reference", "message_title", "resource_id"]
    date_hierarchy = "created_on"
    exclude = ["attachments"]
    inlines = [DispatchedCorrespondenceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentStatusEventInline(ReadOnlyInline):
    model = SharedAttachmentStatusEvent
    fields = ["changed_on", "status", "status_text"]
    verbose_name_plural = "status history"


@admin.register(SharedAttachment)
class SharedAttachmentAdmin(admin.ModelAdmin):
    inlines = [AttachmentStatusEventInline]
    list_display = ["file_name", "display_name", "status", "data_type", "size", "sender", "created_on"]
    list_filter = ["status", "is_test"]
    search_fields = ["file_name", "display_name", "senders_reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
