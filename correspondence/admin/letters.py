"""Staff screens of letters per customer: types with their sections, letters with their PDF and actions,
the people who also receive a customer's letters, and each time a letter was emailed."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.admin import confirm_then_run, run_per_row
from accounts.errors import DomainError
from accounts.history_admin import ActorColumn, RecordHistoryAdmin
from accounts.models import Contact

from .. import selectors, services
from ..models import (
    Correspondence,
    CorrespondenceAttachment,
    CorrespondenceEmail,
    CorrespondenceRecipient,
    CorrespondenceSection,
    CorrespondenceStatusChange,
    CorrespondenceType,
)


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
        url = reverse("admin:correspondence_correspondence_add")
        return format_html('<a href="{}?correspondence_type={}">Write a letter of this type</a>', url, obj.pk)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("awaiting_pdf", "Awaiting its PDF"),
            ("ready", "Ready"),
            ("emailed", "Emailed"),
            ("delivered", "Delivered"),
            ("undelivered", "Not delivered"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "awaiting_pdf":
                return queryset.filter(ready_on__isnull=True)
            case "ready":
                return queryset.filter(ready_on__isnull=False)
            case "emailed":
                return queryset.filter(emailed_on__isnull=False)
            case "delivered":
                return queryset.filter(delivered_on__isnull=False)
            case "undelivered":
                return queryset.filter(delivered_on__isnull=True)
        return queryset


class CustomerFilter(admin.SimpleListFilter):
    """Set by clicking a customer in the list; offers only that customer, so it stays light with many."""

    title = "customer"
    parameter_name = "customer"

    def lookups(self, request, model_admin):
        customer = Contact.objects.filter(pk=self.value()).first() if self.value() else None
        return [(str(customer.pk), str(customer))] if customer else []

    def queryset(self, request, queryset):
        return queryset.filter(customer_id=self.value()) if self.value() else queryset


class StatusChangeInline(ActorColumn, admin.TabularInline):
    model = CorrespondenceStatusChange
    extra = 0
    fields = ["changed_on", "status", "active", "note", "by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = CorrespondenceAttachment
    extra = 0
    fields = ["name", "content_type", "size", "file"]
    readonly_fields = ["size"]


class EmailInline(ActorColumn, admin.TabularInline):
    model = CorrespondenceEmail
    extra = 0
    fields = ["requested_on", "email", "attachment_names", "result", "sent_on", "error", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


SECTION_PREFIX = "section_"


class CorrespondenceForm(forms.ModelForm):
    """With the type known, one text box per section of the type; otherwise the content as JSON."""

    section_keys: tuple[str, ...] = ()

    class Meta:
        model = Correspondence
        fields = ["customer", "correspondence_type", "number", "correspondence_date", "content"]
        help_texts = {
            "number": "Leave blank for the customer's next number.",
            "content": 'The text of each section of the type, e.g. {"subject": "…", "body": "…"}. '
            "Choose the type from its admin page (“Write a letter of this type”) to get a box per section.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        if self.section_keys:
            content = self.instance.content or {}
            for key in self.section_keys:
                self.fields[SECTION_PREFIX + key].initial = content.get(key, "")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("correspondence_type")
        if self.section_keys:
            cleaned["content"] = {
                key: cleaned.get(SECTION_PREFIX + key) for key in self.section_keys if cleaned.get(SECTION_PREFIX + key)
            }
        if kind is not None:
            try:
                cleaned["content"] = services.validate_content(kind, cleaned.get("content"))
            except DomainError as error:
                field = (error.field or "").removeprefix("content.")
                target = SECTION_PREFIX + field if field in self.section_keys else "content"
                raise ValidationError({target: error.message}) from None
        customer = cleaned.get("customer") or getattr(self.instance, "customer", None)
        number = (cleaned.get("number") or "").strip()
        if customer is not None and number:
            taken = Correspondence.objects.filter(customer=customer, number=number).exclude(pk=self.instance.pk)
            if taken.exists():
                raise ValidationError({"number": "The customer already has correspondence with this number."})
        return cleaned

    def validate_unique(self):
        # The service assigns the number and reports a taken one; blank must not clash here.
        pass


def section_fields(kind: CorrespondenceType) -> dict[str, forms.Field]:
    return {
        SECTION_PREFIX + section.key: forms.CharField(
            label=section.heading or section.key.replace("_", " ").capitalize(),
            required=section.required,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 2 if section.bold else 10, "cols": 90}),
            help_text="Blank lines separate paragraphs.",
        )
        for section in kind.sections.all()
    }


@admin.register(Correspondence)
class CorrespondenceAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    form = CorrespondenceForm
    list_display = ["number", "customer_link", "correspondence_type", "correspondence_date", "statuses", "created_on"]
    list_display_links = ["number"]
    list_filter = [
        "correspondence_type",
        StatusFilter,
        "correspondence_date",
        CustomerFilter,
        "is_test",
    ]
    search_fields = ["number", "customer__code", "customer__last_name", "customer__company_name", "customer__email"]
    date_hierarchy = "correspondence_date"
    list_select_related = ["customer", "correspondence_type"]
    show_full_result_count = False
    autocomplete_fields = ["customer"]
    readonly_fields = ["statuses", "pdf_links", "revision", "pdf_pages", "render_error", "created_on", "updated_on"]
    inlines = [AttachmentInline, EmailInline, StatusChangeInline]
    actions = ["email_to_customer", "mark_delivered", "render_again"]

    def chosen_type(self, request, obj=None) -> CorrespondenceType | None:
        """The type the form is for: as posted, as asked for in the add link, or the record's own."""
        chosen = request.POST.get("correspondence_type") or request.GET.get("correspondence_type")
        if chosen:
            try:
                return CorrespondenceType.objects.filter(pk=chosen).first()
            except ValidationError:
                return None
        return obj.correspondence_type if obj is not None else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        kind = self.chosen_type(request, obj)
        if kind is not None:
            fields = section_fields(kind)
            attributes = {**fields, "section_keys": tuple(name.removeprefix(SECTION_PREFIX) for name in fields)}
            kwargs["form"] = type("CorrespondenceSectionsForm", (CorrespondenceForm,), attributes)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        kind = self.chosen_type(request, obj)
        if kind is not None and kind.sections.exists():
            content = [SECTION_PREFIX + key for key in kind.sections.values_list("key", flat=True)]
        else:
            content = ["content"]
        main = ["customer", "correspondence_type", "number", "correspondence_date"]
        if obj is None:
            return [(None, {"fields": main}), ("Content", {"fields": content})]
        letter = ["statuses", "pdf_links", "revision", "pdf_pages", "render_error", "created_on", "updated_on"]
        return [(None, {"fields": main}), ("Content", {"fields": content}), ("Letter", {"fields": letter})]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "customer"] if obj else self.readonly_fields

    @admin.display(description="customer", ordering="customer__last_name")
    def customer_link(self, obj):
        url = reverse("admin:correspondence_correspondence_changelist")
        return format_html('<a href="{}?customer={}">{}</a>', url, obj.customer_id, obj.customer)

    @admin.display(description="status")
    def statuses(self, obj):
        return ", ".join(obj.status_names) or "awaiting its PDF"

    @admin.display(description="PDF")
    def pdf_links(self, obj):
        if not obj.has_current_pdf or obj.ready_on is None:
            return "Not rendered yet." + (f" Last attempt failed: {obj.render_error}" if obj.render_error else "")
        url = reverse("admin:correspondence_correspondence_pdf", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank">Preview</a> · <a href="{}?download=1">Download</a>'
            '<br><iframe src="{}" title="Letter preview" style="width:52em;max-width:100%;height:68em;'
            'border:1px solid #ccc;margin-top:.5em"></iframe>',
            url,
            url,
            url,
        )

    def get_urls(self):
        pdf = self.admin_site.admin_view(self.pdf_view)
        return [path("<uuid:pk>/pdf/", pdf, name="correspondence_correspondence_pdf"), *super().get_urls()]

    def pdf_view(self, request, pk):
        correspondence = get_object_or_404(Correspondence, pk=pk)
        if not self.has_view_permission(request, correspondence):
            raise PermissionDenied
        try:
            pdf = selectors.current_pdf(correspondence)
        except DomainError as error:
            return HttpResponse(error.message, status=404, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{correspondence.pdf_filename}"'
        # The change page shows the preview in a frame of its own origin.
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            "correspondence_type": data["correspondence_type"],
            "content": data["content"],
            "correspondence_date": data["correspondence_date"],
        }
        try:
            if change:
                saved = services.update_correspondence(obj, number=data["number"] or obj.number, **fields)
            else:
                saved = services.create_correspondence(data["customer"], number=data["number"], **fields)
        except DomainError as error:
            # The form already checked the content; what is left (a number taken meanwhile) is told plainly.
            raise ValidationError(error.message) from None
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.delete_correspondence(obj)

    def delete_queryset(self, request, queryset):
        for correspondence in queryset:
            services.delete_correspondence(correspondence)

    def has_email_permission(self, request):
        return request.user.has_perm("correspondence.email_correspondence")

    @admin.action(description="Email selected correspondence to the customer and its recipients", permissions=["email"])
    def email_to_customer(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.email_correspondence,
            "Queued for email",
            question="Email these letters to their customers and recipients?",
        )

    @admin.action(description="Mark selected correspondence as delivered", permissions=["change"])
    def mark_delivered(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.mark_delivered,
            "Delivered",
            question="Record these letters as delivered? This cannot be undone.",
        )

    @admin.action(description="Render the PDF again (letters not yet sent)", permissions=["change"])
    def render_again(self, request, queryset):
        run_per_row(self, request, queryset, services.render_again, "Rendering requested")


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
        "attachment_names",
        "message_id",
        "result",
        "requested_on",
        "by",
        "sent_on",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
