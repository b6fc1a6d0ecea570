from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin import DomainRulesForm, confirm_then_run, form_field
from accounts.errors import DomainError
from accounts.history_admin import ActorColumn, RecordHistoryAdmin
from accounts.models import Team

from . import selectors, services
from .models import (
    Activity,
    ActivityState,
    ActivityStateChange,
    ActivityType,
    CustomFieldDefinition,
    CustomFieldValue,
    Tag,
)

# Any minute of the day, in the browser's own date and time picker (the admin's clock offers five times only).
any_time = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M")

ADD_TO_TEAM, ASSIGN_DIRECTLY = "add_to_team", "assign_directly"


class ActivityForm(forms.ModelForm):
    when_not_in_team = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        label="Not in the team",
        choices=[("", ""), (ADD_TO_TEAM, "Add them to the team"), (ASSIGN_DIRECTLY, "Assign directly")],
    )

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
        widgets = {"scheduled_from": any_time, "scheduled_to": any_time}
        field_classes = {"scheduled_from": forms.DateTimeField, "scheduled_to": forms.DateTimeField}

    def _post_clean(self):
        # The instance now carries the form's values: hold it to the same rules as the API does.
        super()._post_clean()
        if self.errors:
            return
        self._offer_team_choice()
        if self.errors:
            return
        try:
            services.check_activity(self.instance, assignee_joins_team=self.add_assignee_to_team)
            services.check_tags(self.instance, list(self.cleaned_data.get("tags", [])))
        except DomainError as error:
            self.add_error(form_field(self, error.field), error.message)

    def _offer_team_choice(self) -> None:
        """A person outside the chosen team: ask whether to add them to it or to assign them without the team."""
        user, team = self.instance.assigned_user, self.instance.assigned_team
        if user is None or team is None or team.members.filter(pk=user.pk).exists():
            return
        name = user.get_full_name() or user.get_username()
        field = self.fields["when_not_in_team"]
        field.choices = [
            ("", ""),
            (ADD_TO_TEAM, f"Add {name} to {team.name} and assign the activity to both"),
            (ASSIGN_DIRECTLY, f"Assign it to {name} directly, without the team"),
        ]
        field.widget = forms.RadioSelect(choices=field.choices[1:])
        choice = self.cleaned_data.get("when_not_in_team")
        if choice == ASSIGN_DIRECTLY:
            self.instance.assigned_team = None
        elif choice != ADD_TO_TEAM:
            self.add_error(
                "when_not_in_team", f"{name} is not in {team.name}. Add them to the team, or assign directly?"
            )

    @property
    def add_assignee_to_team(self) -> bool:
        return self.cleaned_data.get("when_not_in_team") == ADD_TO_TEAM


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Outcome",
        help_text="What came of it; kept in each activity's history.",
    )


# How many activities each column of "My work" lists; the column's link opens all of them.
MY_WORK_SHOWN = 8


class CustomFieldValueInline(admin.TabularInline):
    model = CustomFieldValue
    extra = 0


class StateHistoryInline(ActorColumn, admin.TabularInline):
    model = ActivityStateChange
    extra = 0
    fields = readonly_fields = ["state", "date", "by", "outcome"]
    can_delete = False
    verbose_name_plural = "state history"

    @admin.display(description="outcome")
    def outcome(self, change):
        return change.note or "—"

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


class DueFilter(admin.SimpleListFilter):
    """Pending work by when it falls due, in the user's day."""

    title = "when due"
    parameter_name = "due"
    DAYS = {"today": (0, 1), "tomorrow": (1, 2), "next_7_days": (1, 8)}

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("tomorrow", "Tomorrow"), ("next_7_days", "Next 7 days")]

    def queryset(self, request, queryset):
        if self.value() not in self.DAYS:
            return queryset
        first, last = self.DAYS[self.value()]
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return (
            queryset.filter(state=ActivityState.PENDING)
            .alias(due=Coalesce("scheduled_to", "scheduled_from"))
            .filter(due__gte=today + timedelta(days=first), due__lt=today + timedelta(days=last))
        )


class MineFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Me or my teams")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                Q(assigned_user=request.user) | Q(assigned_team__in=Team.objects.filter(members=request.user))
            )
        return queryset


@admin.register(Activity)
class ActivityAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = ActivityForm
    # Calendar-like: the day's schedule first, drilled down by scheduled date.
    list_display = ["scheduled_from", "scheduled_to", "name", "type_badge", "state", "contact", "assignee", "is_test"]
    list_display_links = ["scheduled_from", "name"]
    list_filter = [
        MineFilter,
        DueFilter,
        OverdueFilter,
        "type",
        "state",
        "assigned_user",
        "assigned_team",
        "tags",
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
        ("Assignment", {"fields": ["assigned_user", "assigned_team", "when_not_in_team", "tags"]}),
        ("Dates", {"fields": ["created_on", "updated_on"]}),
    ]
    actions = ["complete", "cancel"]
    change_list_template = "admin/activities/activity/change_list.html"

    def changelist_view(self, request, extra_context=None):
        # "My work" comes first: what is overdue, due today and due this week for the user and their teams.
        work = selectors.my_work(request.user, timezone.now())
        extra_context = {
            **(extra_context or {}),
            "my_work": [
                (title, key, list(work[key][:MY_WORK_SHOWN]), work[key].count())
                for title, key in (("Overdue", "overdue"), ("Today", "today"), ("Next 7 days", "next_7_days"))
            ],
        }
        return super().changelist_view(request, extra_context)

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
        if services.plan_activity(obj, add_assignee_to_team=form.add_assignee_to_team):
            who = obj.assigned_user.get_full_name() or obj.assigned_user.get_username()
            self.message_user(request, f"Assigned to {who}: {who} was emailed about it.", messages.INFO)

    @admin.action(description="Complete selected activities", permissions=["change"])
    def complete(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.complete_activity,
            "Completed",
            question="Complete these activities? A completed activity cannot be reopened.",
            form_class=CompleteForm,
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
