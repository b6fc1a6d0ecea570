"""The staff screens of letters per customer: the list, a letter's page with its PDF, and the actions."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from accounts.admin import confirm_then_run, run_per_row
from accounts.admin_filters import CustomerFilter as BaseCustomerFilter
from accounts.errors import DomainError
from accounts.history_admin import ActorColumn, RecordHistoryAdmin

from ... import selectors, services
from ...models import (
    Correspondence,
    CorrespondenceAttachment,
    CorrespondenceEmail,
    CorrespondenceStatusChange,
)
from ...pages import page_image
from .emailing import EmailingLetters
from .forms import AttachmentForm
from .types import attachment_words
from .writing import WritingLetters


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("awaiting_pdf", "Awaiting its PDF"),
            ("ready", "Ready"),
            ("not_sent", "Ready, not sent"),
            ("emailed", "Emailed"),
            ("emailed_only", "Emailed, not delivered"),
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
            case "not_sent" | "emailed_only" as stage:
                return selectors.LETTER_STAGES[stage].of(queryset)
        return queryset


class CustomerFilter(BaseCustomerFilter):
    customer_field = "customer_id"


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
    form = AttachmentForm
    extra = 0
    fields = ["name", "content_type", "size", "file"]
    readonly_fields = ["size"]


class EmailInline(ActorColumn, admin.TabularInline):
    model = CorrespondenceEmail
    extra = 0
    fields = ["requested_on", "email", "attachments", "delivery", "sent_on", "by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "emails"

    @admin.display(description="attachments")
    def attachments(self, obj):
        return attachment_words(obj.attachment_names)

    @admin.display(description="delivery")
    def delivery(self, obj):
        return f"{obj.get_result_display()}: {obj.error}" if obj.error else obj.get_result_display()

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Correspondence)
class CorrespondenceAdmin(WritingLetters, EmailingLetters, RecordHistoryAdmin, admin.ModelAdmin):
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

    class Media:
        css = {"all": ["staff/letterflow.css"]}
        js = ["staff/letterflow.js"]

    def get_inline_instances(self, request, obj=None):
        # A new letter is its text; attachments and emails belong to a saved one.
        return super().get_inline_instances(request, obj) if obj is not None else []

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
        pages = format_html_join(
            "",
            '<li><img class="letter-page" src="{}?revision={}" alt="Page {} of {} of the letter"></li>',
            (
                (reverse("admin:correspondence_correspondence_page", args=[obj.pk, n]), obj.pdf_revision, n, total)
                for total in [obj.pdf_pages or 1]
                for n in range(1, total + 1)
            ),
        )
        return format_html(
            '<a href="{}" target="_blank">Open the PDF</a> · <a href="{}?download=1">Download</a>'
            '<ol class="letter-pages">{}</ol>',
            url,
            url,
            pages,
        )

    def get_urls(self):
        pdf = self.admin_site.admin_view(self.pdf_view)
        page = self.admin_site.admin_view(self.page_view)
        return [
            path("<uuid:pk>/pdf/", pdf, name="correspondence_correspondence_pdf"),
            path("<uuid:pk>/pages/<int:number>/", page, name="correspondence_correspondence_page"),
            *self.letter_urls(),
            *self.email_urls(),
            *super().get_urls(),
        ]

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

    def page_view(self, request, pk, number):
        """One page of the letter's current PDF as a picture, for its page in the admin."""
        correspondence = get_object_or_404(Correspondence, pk=pk)
        if not self.has_view_permission(request, correspondence):
            raise PermissionDenied
        try:
            image = page_image(selectors.current_pdf(correspondence), number)
        except DomainError as error:
            return HttpResponse(error.message, status=404, content_type="text/plain; charset=utf-8")
        if image is None:
            return HttpResponse(f"The letter has no page {number}.", status=404, content_type="text/plain")
        response = HttpResponse(image, content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response

    def delete_model(self, request, obj):
        services.delete_correspondence(obj)

    def delete_queryset(self, request, queryset):
        for correspondence in queryset:
            services.delete_correspondence(correspondence)

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
