import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse

from . import rules, services
from .admin_words import codes_as_words
from .backoffice import customer_page
from .errors import DomainError
from .history_admin import RecordHistoryAdmin
from .models import (
    Account,
    Address,
    ApiKey,
    Classification,
    Contact,
    Group,
    Lead,
    Order,
    PaymentTerms,
    ServiceRequest,
    Subscription,
    SubscriptionType,
    Team,
    UserIdentifier,
)
from .ratelimit import requests_per_minute
from .scopes import ALL_SCOPES, FAMILIES
from .termination_admin import terminate_accounts

log = logging.getLogger(__name__)


def run_per_row(modeladmin, request, queryset, action, verb: str) -> None:
    """Apply a service to each selected row and report every success and failure by name."""
    done, failed = [], []
    for record in queryset:
        try:
            action(record)
            done.append(str(record))
        except DomainError as error:
            failed.append(f"{record}: {codes_as_words(error.message, record)}")
            log.warning("admin.action_refused model=%s id=%s reason=%s", record._meta.label, record.pk, error.message)
    if done:
        modeladmin.message_user(request, f"{verb}: {', '.join(done)}", messages.SUCCESS)
    for failure in failed:
        modeladmin.message_user(request, f"Not {verb.lower()} — {failure}", messages.ERROR)


# The confirmation page lists this many of the selected rows and counts the rest.
CONFIRM_LISTED_ROWS = 100


def confirm_then_run(
    modeladmin, request, queryset, action, verb: str, *, question: str, form_class=None, describe=None
):
    """Ask first, on a page listing the selected rows; run the service on each only when the POST says confirm=yes.

    With `form_class`, the page also asks for what the service needs (e.g. a rejection's reason), passed to
    `action(record, **cleaned_data)`. With `describe(record)`, each listed row also says what it is about.
    """
    confirmed = request.POST.get("confirm") == "yes"
    form = form_class(request.POST if confirmed else None) if form_class else None
    if confirmed and (form is None or form.is_valid()):
        fields = form.cleaned_data if form is not None else {}
        run_per_row(modeladmin, request, queryset, lambda record: action(record, **fields), verb)
        return None
    opts = modeladmin.model._meta
    rows = list(queryset[:CONFIRM_LISTED_ROWS])
    for row in rows if describe else ():
        row.confirm_detail = describe(row)
    select_across = request.POST.get("select_across") == "1"
    selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Are you sure?",
        "question": question,
        "verb": verb,
        "opts": opts,
        "form": form,
        "action": request.POST.get("action", ""),
        "rows": rows,
        "more": max(0, queryset.count() - CONFIRM_LISTED_ROWS),
        "select_across": select_across,
        "selected": selected[:1] if select_across else selected,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/confirm_action.html", context)


class DomainRulesForm(forms.ModelForm):
    """A form that holds its record to the rules the services hold it to, shown as field errors.

    Each subclass names its rules in `check_rules()`, which raises the domain's error for the first one broken."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A form without its rules would save what the services refuse; say so when the class is made.
        if not callable(getattr(cls, "check_rules", None)):
            raise TypeError(f"{cls.__name__} must define check_rules(), the domain rules its record is held to.")

    def validate_unique(self):
        # The rules speak before the database constraints that back them, so staff read the domain's words.
        if not self.errors:
            try:
                self.check_rules()
            except DomainError as error:
                self.add_error(form_field(self, error.field), error.message)
                return
        super().validate_unique()


def form_field(form: forms.BaseForm, field: str | None) -> str | None:
    """The form's name of a domain error's field (`billing_address_id` is the form's `billing_address`)."""
    for name in (field, (field or "").removesuffix("_id")):
        if name and name in form.fields:
            return name
    return None


class AddressForm(DomainRulesForm):
    def check_rules(self) -> None:
        rules.check_address(self.instance)


class ContactForm(DomainRulesForm):
    def check_rules(self) -> None:
        rules.check_contact(self.instance)


class AccountForm(DomainRulesForm):
    def check_rules(self) -> None:
        stored = None if self.instance._state.adding else Account.objects.filter(pk=self.instance.pk).first()
        rules.check_account(self.instance, stored=stored)


class AddressInline(admin.TabularInline):
    model = Address
    form = AddressForm
    extra = 0
    fields = [
        "address_type",
        "is_primary",
        "address_line_1",
        "address_line_2",
        "postal_code",
        "town_city",
        "state_province_county",
        "country_code",
    ]


class AccountInline(admin.TabularInline):
    model = Account
    extra = 0
    fields = ["number", "name", "is_primary", "state", "currency_code", "balance", "overdue_amount"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = ContactForm
    list_display = ["__str__", "code", "contact_type", "email", "phone", "is_test", "created_on"]
    list_filter = ["contact_type", "is_test"]
    search_fields = ["code", "first_name", "last_name", "company_name", "email", "phone", "id_number", "org_number"]
    date_hierarchy = "created_on"
    inlines = [AddressInline, AccountInline]
    readonly_fields = ["is_test", "created_on", "updated_on"]
    fieldsets = [
        (
            None,
            {"fields": ["contact_type", "code", ("title", "first_name", "middle_name", "last_name"), "company_name"]},
        ),
        ("Reaching them", {"fields": ["email", "phone", "preferred_language"]}),
        ("Identity", {"fields": ["id_number", "org_number", "date_of_birth", "gender"]}),
        ("Record", {"fields": ["is_test", "created_on", "updated_on"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_contact(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        contact = self.get_object(request, object_id)
        if contact is not None:
            extra_context = {**(extra_context or {}), **customer_page(contact, request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        # The page opens on the workspace; "continue editing" goes back to the open edit form.
        if "_continue" in request.POST and response.status_code == 302:
            response["Location"] += "#edit"
        return response


@admin.register(Account)
class AccountAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["number", "name", "contact", "is_primary", "state", "currency_code", "balance", "is_test"]
    list_filter = ["state", "is_primary", "currency_code", "classification", "is_test"]
    search_fields = ["number", "name", "contact__first_name", "contact__last_name", "contact__company_name"]
    list_select_related = ["contact"]
    autocomplete_fields = ["contact"]
    form = AccountForm
    readonly_fields = [
        "state",
        "balance",
        "overdue_amount",
        "terminated_on",
        "transferred_balance",
        "transferred_to",
        "is_test",
        "created_on",
        "updated_on",
    ]
    fieldsets = [
        (None, {"fields": ["contact", "number", "name", "is_primary", "currency_code"]}),
        ("Credit terms", {"fields": ["credit_limit", "payment_terms", "classification", "billing_address"]}),
        (
            "Money and state",
            {
                "fields": [
                    "state",
                    "balance",
                    "overdue_amount",
                    "terminated_on",
                    "transferred_balance",
                    "transferred_to",
                ]
            },
        ),
        ("Record", {"fields": ["is_test", "created_on", "updated_on"]}),
    ]
    actions = ["suspend", "reactivate", "terminate"]

    def get_fieldsets(self, request, obj=None):
        # A new account has no money or state yet: the service gives them.
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj else [fieldsets[0], fieldsets[1]]

    def get_readonly_fields(self, request, obj=None):
        # The account's owner is fixed once it exists: its money and history are the contact's.
        return [*self.readonly_fields, "contact"] if obj else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "number" in form.base_fields:
            form.base_fields["number"].required = False
            form.base_fields["number"].help_text = "Leave blank for the next account number."
        if "name" in form.base_fields:
            form.base_fields["name"].required = False
            form.base_fields["name"].help_text = "Leave blank for the number and the contact's name."
        return form

    def save_model(self, request, obj, form, change):
        services.save_account(obj)

    @admin.action(description="Suspend selected accounts", permissions=["change"])
    def suspend(self, request, queryset):
        return confirm_then_run(
            self, request, queryset, services.suspend_account, "Suspended", question="Suspend these accounts?"
        )

    @admin.action(description="Reactivate selected accounts", permissions=["change"])
    def reactivate(self, request, queryset):
        run_per_row(self, request, queryset, services.reactivate_account, "Reactivated")

    def has_terminate_permission(self, request):
        return request.user.has_perm("accounts.terminate_account")

    @admin.action(description="Terminate selected accounts…", permissions=["terminate"])
    def terminate(self, request, queryset):
        return terminate_accounts(self, request, queryset, run_per_row)

    def get_deleted_objects(self, objs, request):
        # Deleting an account that holds money would lose it: the page refuses, as for a protected record.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        holding = [
            f"{account.number} holds {account.balance} {account.currency_code}: terminate it with a transfer instead"
            for account in objs
            if account.balance or account.overdue_amount
        ]
        return deleted, counts, perms_needed, [*protected, *holding]


class ApiKeyForm(forms.ModelForm):
    """Scopes as boxes to tick and postal accounts as a list, rather than the JSON they are stored as."""

    scopes = forms.MultipleChoiceField(
        choices=[(scope, f"{scope} — {FAMILIES[scope.partition('.')[0]]}") for scope in ALL_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="Reads need the family's .read scope, changes its .write scope.",
    )
    postal_accounts = forms.CharField(
        required=False,
        help_text="Postal accounts whose letters this key may read, separated by commas (e.g. ABC12345, ABC01234).",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "mode", "postal_accounts", "requests_per_minute"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["postal_accounts"] = ", ".join(self.instance.postal_accounts)

    def clean_postal_accounts(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["postal_accounts"].split(",") if code.strip()]


@admin.register(ApiKey)
class ApiKeyAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "mode", "scope_names", "rate_limit", "created_on", "last_used_on", "revoked_on"]
    list_filter = ["mode", "revoked_on"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "hashed_key", "created_on", "last_used_on", "revoked_on"]
    actions = ["revoke"]

    @admin.display(description="Scopes")
    def scope_names(self, key):
        return ", ".join(key.scopes)

    @admin.display(description="Requests a minute")
    def rate_limit(self, key):
        limit = requests_per_minute(key)
        return f"{limit:,}" if key.requests_per_minute else f"{limit:,} (default)"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "requests_per_minute" in form.base_fields:
            form.base_fields["requests_per_minute"].help_text = (
                "How many requests a minute this key may make. Leave blank for the default of "
                f"{settings.API_KEY_REQUESTS_PER_MINUTE:,} a minute. A key past its limit is answered "
                "“too many requests” until the minute ends."
            )
        return form

    def has_add_permission(self, request):
        # The key is shown once, when made; `manage.py create_api_key` is where keys are made.
        return False

    @admin.action(description="Revoke selected API keys", permissions=["change"])
    def revoke(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.revoke_api_key,
            "Revoked",
            question="Revoke these API keys? Integrations using them stop working at once; this cannot be undone.",
        )


admin.site.register(PaymentTerms, list_display=["name", "days"], search_fields=["name"])
admin.site.register(Classification, list_display=["name", "is_default"], search_fields=["name"])
admin.site.register(Group, list_display=["name", "code"], search_fields=["name", "code"], filter_horizontal=["members"])
admin.site.register(Team, list_display=["name"], search_fields=["name"], filter_horizontal=["members"])


# Subscriptions, leads, service requests and orders: staff create and change them here (no API creates them).


class CustomerRecordForm(forms.ModelForm):
    """Holds a record to the rules the service holds it to, shown as the form's errors; a blank number is given
    the next of its series on save."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.check_record(
                self.instance, previous_state=None if self.instance._state.adding else self.initial.get("state")
            )
        except DomainError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)


class CustomerRecordAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = CustomerRecordForm
    list_filter = ["state", "is_test"]
    search_fields = ["number", "contact__code", "contact__first_name", "contact__last_name", "contact__company_name"]
    list_select_related = ["contact"]
    autocomplete_fields = ["contact"]
    date_hierarchy = "created_on"

    system_fields = ["is_test", "created_on", "updated_on", "closed_on"]

    def get_readonly_fields(self, request, obj=None):
        # The number and the contact are what integrators and other records know it by: fixed once saved.
        return [*self.system_fields, "number", "contact"] if obj else self.system_fields

    def get_fields(self, request, obj=None):
        # A record being added has no dates or mode yet: the service gives them.
        fields = super().get_fields(request, obj)
        return fields if obj else [field for field in fields if field not in self.system_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "number" in form.base_fields:
            form.base_fields["number"].required = False
            form.base_fields["number"].help_text = "Leave blank for the next number of the series."
        return form

    def save_model(self, request, obj, form, change):
        services.save_record(obj)

    def has_delete_permission(self, request, obj=None):
        # Communications and activities name these records; one that ends is cancelled, never deleted.
        return False


@admin.register(Subscription)
class SubscriptionAdmin(CustomerRecordAdmin):
    list_display = ["number", "contact", "type", "account", "state", "effective_on", "is_test"]
    list_filter = ["state", "type", "is_test"]
    list_select_related = ["contact", "type", "account"]
    autocomplete_fields = ["contact", "account"]
    fields = ["number", "contact", "account", "type", "state", "effective_on", *CustomerRecordAdmin.system_fields]
    system_fields = ["effective_on", *CustomerRecordAdmin.system_fields]


@admin.register(Lead)
class LeadAdmin(CustomerRecordAdmin):
    list_display = ["number", "title", "contact", "state", "created_on", "is_test"]
    search_fields = [*CustomerRecordAdmin.search_fields, "title"]
    fields = ["number", "contact", "title", "description", "state", *CustomerRecordAdmin.system_fields]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(CustomerRecordAdmin):
    list_display = ["number", "contact", "state", "created_on", "is_test"]
    raw_id_fields = ["address"]
    fields = ["number", "contact", "description", "address", "state", *CustomerRecordAdmin.system_fields]


@admin.register(Order)
class OrderAdmin(CustomerRecordAdmin):
    list_display = ["number", "contact", "account", "state", "created_on", "is_test"]
    list_select_related = ["contact", "account"]
    autocomplete_fields = ["contact", "account"]
    raw_id_fields = ["address"]
    fields = ["number", "contact", "account", "description", "address", "state", *CustomerRecordAdmin.system_fields]


admin.site.register(
    SubscriptionType, list_display=["name", "alternative_code"], search_fields=["name", "alternative_code"]
)


class UserIdentifierInline(admin.TabularInline):
    """The GUID integrators name a user by (an activity's assign_to.user_id)."""

    model = UserIdentifier
    fields = readonly_fields = ["guid"]
    can_delete = False
    verbose_name = verbose_name_plural = "identifier in the APIs"

    def has_add_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(DjangoUserAdmin):
    inlines = [*DjangoUserAdmin.inlines, UserIdentifierInline]
