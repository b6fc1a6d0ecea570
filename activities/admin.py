from django import forms
from django.contrib import admin
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin import DomainRulesForm, confirm_then_run, form_field
from accounts.errors import DomainError
from accounts.history_admin import ActorColumn, RecordHistoryAdmin

from . import services
from .models import (
    Activity,
    ActivityState,
    ActivityStateChange,
    ActivityType,
    CustomFieldDefinition,
    CustomFieldValue,
    Tag,
)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "name",
            "description",
            "type",
            "is_test",
            "scheduled_from",
            "scheduled_to",
            "contact",
            "address",
            "lead",
            "service_request",
            "order",
            "assigned_user",
            "assigned_team",
            "tags",
        ]

    def _post_clean(self):
        # The instance now carries the form's values: hold it to the same rules as the API does.
        super()._post_clean()
        if self.errors:
            return
        try:
            services.check_activity(self.instance)
            services.check_tags(self.instance, list(self.cleaned_data.get("tags", [])))
        except DomainError as error:
            self.add_error(form_field(self, error.field), error.message)


class CustomFieldValueInline(admin.TabularInline):
    model = CustomFieldValue
    extra = 0


class StateHistoryInline(ActorColumn, admin.TabularInline):
    model = ActivityStateChange
    extra = 0
    fields = readonly_fields = ["state", "date", "by"]
    can_delete = False
    verbose_name_plural = "state history"

    def has_add_permission(self, request, obj=None):
        return False


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue (pending past its schedule)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return (
                queryset.filter(state=ActivityState.PENDING)
                .alias(due=Coalesce("scheduled_to", "scheduled_from"))
                .filter(due__lt=timezone.now())
            )
        return queryset


@admin.register(Activity)
class ActivityAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = ActivityForm
    # Calendar-like: the day's schedule first, drilled down by scheduled date.
    list_display = ["scheduled_from", "scheduled_to", "name", "type_badge", "state", "contact", "assignee", "is_test"]
    list_display_links = ["scheduled_from", "name"]
    list_filter = [
        "type",
        "state",
        "assigned_user",
        "assigned_team",
        "tags",
        OverdueFilter,
        ("scheduled_from", admin.DateFieldListFilter),
        "is_test",
    ]
    date_hierarchy = "scheduled_from"
    ordering = ["scheduled_from", "id"]
    search_fields = ["name", "contact__code", "contact__first_name", "contact__last_name", "contact__company_name"]
    list_select_related = ["type", "contact", "assigned_user", "assigned_team"]
    autocomplete_fields = ["contact", "lead", "service_request", "order", "assigned_user"]
    raw_id_fields = ["address"]
    filter_horizontal = ["tags"]
    show_full_result_count = False
    inlines = [CustomFieldValueInline, StateHistoryInline]
    fieldsets = [
        (None, {"fields": ["name", "description", "type", "state", "completed_on", "is_test"]}),
        ("Schedule", {"fields": ["scheduled_from", "scheduled_to"]}),
        ("Linked to", {"fields": ["contact", "address", "lead", "service_request", "order"]}),
        ("Assignment", {"fields": ["assigned_user", "assigned_team", "tags"]}),
        ("Dates", {"fields": ["created_on", "updated_on"]}),
    ]
    actions = ["complete", "cancel"]

    def get_readonly_fields(self, request, obj=None):
        # State changes go through the actions; a saved activity keeps its contact and mode.
        fixed = ["state", "completed_on", "created_on", "updated_on"]
        return [*fixed, "contact", "is_test"] if obj else fixed

    @admin.display(description="type", ordering="type__name")
    def type_badge(self, activity):
        colour = activity.type.color.lstrip("#")
        if not colour:
            return activity.type.name
        return format_html('<span style="color:#{}">&#9632;</span> {}', colour, activity.type.name)

    @admin.display(description="assigned to")
    def assignee(self, activity):
        who = [str(part) for part in (activity.assigned_user, activity.assigned_team) if part]
        return " / ".join(who) or "—"

    def save_model(self, request, obj, form, change):
        services.save_activity(obj)

    @admin.action(description="Complete selected activities", permissions=["change"])
    def complete(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.complete_activity,
            "Completed",
            question="Complete these activities? A completed activity cannot be reopened.",
        )

    @admin.action(description="Cancel selected activities", permissions=["change"])
    def cancel(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.cancel_activity,
            "Cancelled",
            question="Cancel these activities? A cancelled activity cannot be reopened.",
        )


class ActivityTypeForm(DomainRulesForm):
    def check_rules(self) -> None:
        services.check_activity_type(self.instance)


class TagForm(DomainRulesForm):
    def check_rules(self) -> None:
        services.check_tag(self.instance)


@admin.register(ActivityType)
class ActivityTypeAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = ActivityTypeForm
    list_display = ["name", "color", "is_test"]
    list_filter = ["is_test"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_activity_type(obj)


@admin.register(Tag)
class TagAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "colour", "is_test"]
    list_filter = ["is_test"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_tag(obj)


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "label"]
    search_fields = ["key", "label"]
