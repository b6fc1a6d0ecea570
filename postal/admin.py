from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.admin import confirm_then_run
from accounts.admin_words import chips, choice_labels
from accounts.errors import DomainError
from accounts.history_admin import RecordHistoryAdmin

from . import services
from .forms import MailingUploadForm
from .models import Letter, Mailing, MailingSource, PostalAccount, Transport


@admin.register(PostalAccount)
class PostalAccountAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "contact", "created_on"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["contact"]
    readonly_fields = ["created_on"]


@admin.register(Mailing)
class MailingAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    list_display = ["epid", "postal_account", "source", "uploaded_on", "letter_count", "is_test"]
    list_filter = ["source", "postal_account", "is_test"]
    search_fields = ["=epid"]
    date_hierarchy = "uploaded_on"
    readonly_fields = ["epid", "postal_account", "source", "uploaded_on", "is_test", "letter_count"]
    list_select_related = ["postal_account"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(letter_total=Count("letters"))

    @admin.display(description="letters", ordering="letter_total")
    def letter_count(self, mailing):
        url = reverse("admin:postal_letter_changelist") + f"?mailing={mailing.epid}"
        return format_html('<a href="{}">{}</a>', url, mailing.letter_total)

    def has_add_permission(self, request):
        # Mailings arrive through the upload page, the JSON-RPC upload or a correspondence.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("upload/", upload, name="postal_mailing_upload"), *super().get_urls()]

    def upload_view(self, request):
        if not request.user.has_perm("postal.add_letter"):
            raise PermissionDenied
        form = MailingUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                mailing = services.receive_mailing(
                    form.cleaned_data["postal_account"],
                    form.cleaned_data["uploads"],
                    is_test=False,
                    source=MailingSource.ADMIN,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                count = mailing.letters.count()
                self.message_user(request, f"Mailing {mailing.epid} received with {count} letter(s).", messages.SUCCESS)
                return redirect(reverse("admin:postal_letter_changelist") + f"?mailing={mailing.epid}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload a mailing",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/postal/mailing/upload.html", context)


class MailingFilter(admin.SimpleListFilter):
    """The latest mailings to pick from; any epid can be given in the URL (`?mailing=EPID`)."""

    title = "mailing"
    parameter_name = "mailing"

    def lookups(self, request, model_admin):
        latest = Mailing.objects.select_related("postal_account").order_by("-uploaded_on")[:20]
        return [(m.epid, f"{m.epid} ({m.postal_account.code})") for m in latest]

    def queryset(self, request, queryset):
        return queryset.filter(mailing__epid=self.value()) if self.value() else queryset


@admin.register(Letter)
class LetterAdmin(RecordHistoryAdmin, admin.ModelAdmin):
    # Status first after the reference: every column fits at 1440 px, the long mailing id last.
    list_display = [
        "dbid",
        "ref",
        "status",
        "account_code",
        "transport_tried",
        "price",
        "received_on",
        "lodged_on",
        "mailing",
        "idx",
    ]
    list_filter = ["status", "postal_account", MailingFilter, "transport", "is_test"]
    search_fields = ["ref", "=mailing__epid"]
    list_select_related = ["postal_account", "mailing"]
    show_full_result_count = False
    date_hierarchy = "received_on"
    actions = ["cancel"]
    fields = [
        "dbid",
        "ref",
        "postal_account",
        "mailing",
        "idx",
        "status",
        "transports_in_order",
        "transport",
        "price",
        "email",
        "phone",
        "document",
        "correspondence",
        "received_on",
        "lodged_on",
        "cancelled_on",
        "returned_on",
        "return_reason",
        "email_first_opened",
        "email_last_opened",
        "doc_first_opened",
        "doc_last_opened",
        "last_error",
        "is_test",
    ]
    readonly_fields = fields

    @admin.display(description="transport")
    def transport_tried(self, letter):
        return " → ".join(choice_labels(letter.transports_tried, Transport.choices))

    @admin.display(description="transports, in the order tried")
    def transports_in_order(self, letter):
        return chips(choice_labels(letter.transports, Transport.choices))

    @admin.display(description="postal account", ordering="postal_account__code")
    def account_code(self, letter):
        account = letter.postal_account
        return format_html('<span title="{}">{}</span>', account.name, account.code)

    @admin.display(description="PDF")
    def document(self, letter):
        url = reverse("admin:postal_letter_pdf", args=[letter.dbid])
        return format_html('<a href="{}" target="_blank">{}</a>', url, "Open the PDF")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A letter's history is the customer's record of what was sent; letters are cancelled, not deleted.
        return False

    def get_urls(self):
        pdf = self.admin_site.admin_view(self.pdf_view)
        return [path("<int:dbid>/pdf/", pdf, name="postal_letter_pdf"), *super().get_urls()]

    def pdf_view(self, request, dbid: int):
        letter = Letter.objects.filter(pk=dbid).first()
        if letter is None or not self.has_view_permission(request, letter):
            raise Http404
        return FileResponse(letter.pdf.open("rb"), content_type="application/pdf", filename=f"{letter.ref}.pdf")

    @admin.action(description="Cancel selected letters (only those not yet lodged)", permissions=["change"])
    def cancel(self, request, queryset):
        return confirm_then_run(
            self,
            request,
            queryset,
            services.cancel_letter,
            "Cancelled",
            question="Cancel these letters? A cancelled letter is never lodged; this cannot be undone.",
        )

    def has_change_permission(self, request, obj=None):
        # Nothing is edited by hand; "change" is the permission the cancel action asks for.
        return obj is None and super().has_change_permission(request)
