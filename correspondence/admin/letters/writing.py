"""Writing a letter: choose the customer and the type, then fill a box per section and preview the pages."""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from accounts.errors import DomainError

from ... import services
from ...models import Correspondence, CorrespondenceType
from .forms import SECTION_PREFIX, ChooseLetterForm, error_target, is_uuid, sections_form

REFERENCE_FIELDS = ["number", "correspondence_date"]
PREVIEW_TEMPLATE = "admin/correspondence/correspondence/letter_preview.html"


class WritingLetters:
    """The add and change screens of letters, for a ModelAdmin of Correspondence."""

    add_form_template = change_form_template = "admin/correspondence/correspondence/letter_page.html"

    def letter_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="correspondence_correspondence_preview"),
            path("<uuid:pk>/preview/", preview, name="correspondence_correspondence_preview_changes"),
        ]

    def chosen(self, request) -> ChooseLetterForm:
        """The customer and the type the letter is for: posted with the letter, or asked for in the address."""
        if request.method == "POST":
            data = {
                "contact": request.POST.get("customer"),
                "correspondence_type": request.POST.get("correspondence_type"),
            }
            return ChooseLetterForm(self.admin_site, data)
        wanted = {name: request.GET.get(name) for name in ("contact", "correspondence_type") if request.GET.get(name)}
        if len(wanted) == 2 and not request.GET.get("again"):
            return ChooseLetterForm(self.admin_site, wanted)
        return ChooseLetterForm(self.admin_site, initial=wanted)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        choice = self.chosen(request)
        if not choice.is_valid():
            return self.choose_view(request, choice)
        request.letter_choice = choice.cleaned_data
        context = {
            "title": "Write a letter",
            "letter_customer": choice.cleaned_data["contact"],
            "letter_type": choice.cleaned_data["correspondence_type"],
            "choose_again_url": reverse("admin:correspondence_correspondence_add"),
            "preview_url": reverse("admin:correspondence_correspondence_preview"),
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, context)

    def choose_view(self, request, form):
        context = {
            **self.admin_site.each_context(request),
            "title": "Write a letter",
            "subtitle": "Step 1 of 2: who it is for and of which type",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "has_types": CorrespondenceType.objects.filter(is_active=True).exists(),
        }
        return TemplateResponse(request, "admin/correspondence/correspondence/choose_letter.html", context)

    def chosen_type(self, request, obj=None) -> CorrespondenceType | None:
        if obj is not None:
            return obj.correspondence_type
        choice = getattr(request, "letter_choice", None)
        return choice["correspondence_type"] if choice else None

    def get_changeform_initial_data(self, request):
        choice = getattr(request, "letter_choice", None) or {}
        return {
            "customer": choice.get("contact"),
            "correspondence_type": choice.get("correspondence_type"),
            "correspondence_date": timezone.localdate(),
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = sections_form(self.chosen_type(request, obj))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        kind = self.chosen_type(request, obj)
        sections = [SECTION_PREFIX + key for key in kind.sections.values_list("key", flat=True)] if kind else []
        if obj is None:
            # The customer and the type were chosen in step 1 and ride along unseen.
            reference = [*REFERENCE_FIELDS, "customer", "correspondence_type"]
            return [("What the letter says", {"fields": sections}), ("Reference and date", {"fields": reference})]
        return [
            (None, {"fields": ["customer", "correspondence_type", *REFERENCE_FIELDS]}),
            ("The letter", {"fields": ["statuses", "pdf_links"]}),
            ("What the letter says", {"fields": sections}),
            (
                "Record",
                {
                    "fields": ["revision", "pdf_pages", "render_error", "created_on", "updated_on"],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "customer", "correspondence_type"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {"content": data["content"], "correspondence_date": data["correspondence_date"]}
        if change:
            saved = services.update_correspondence(obj, number=data["number"] or obj.number, **fields)
        else:
            saved = services.create_correspondence(
                data["customer"], correspondence_type=data["correspondence_type"], number=data["number"], **fields
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(
            request,
            f"Letter {obj.number} to {obj.customer} is saved. Its PDF is being made; "
            "email it from here once it is ready.",
        )
        return HttpResponseRedirect(reverse("admin:correspondence_correspondence_change", args=[obj.pk]))

    def preview_view(self, request, pk=None):
        """The pages of the letter as typed so far, as pictures; or, in words, what keeps it from being saved."""
        letter = get_object_or_404(Correspondence, pk=pk) if pk is not None else None
        allowed = self.has_change_permission(request, letter) if letter else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        context = {"pages": [], "errors": []}
        if letter is None:
            choice = self.chosen(request)
            if request.method != "POST" or not choice.is_valid():
                context["errors"] = ["Choose the customer and the type of letter first."]
                return TemplateResponse(request, PREVIEW_TEMPLATE, context)
            request.letter_choice = choice.cleaned_data
        # The same form as the letter's page, bound to what is typed; only read, nothing is saved here.
        form = self.get_form(request, letter, change=letter is not None)(request.POST, instance=letter)
        if form.is_valid():
            try:
                preview = self.preview(letter, form.cleaned_data)
            except DomainError as error:
                form.add_error(error_target(error, form.section_keys), error.message)
            else:
                context["number"] = preview.number
                context["pages"] = [base64.b64encode(page).decode("ascii") for page in preview.pages]
        if form.errors:
            context["errors"] = [
                f"{form.fields[name].label}: {message}" if name in form.fields else message
                for name, errors in form.errors.items()
                for message in errors
            ]
        return TemplateResponse(request, PREVIEW_TEMPLATE, context)

    def preview(self, letter, data) -> services.LetterPreview:
        if letter is not None:
            return services.preview_correspondence_changes(
                letter,
                content=data["content"],
                number=data["number"] or None,
                correspondence_date=data["correspondence_date"],
            )
        return services.preview_correspondence(
            data["customer"],
            correspondence_type=data["correspondence_type"],
            content=data["content"],
            number=data["number"],
            correspondence_date=data["correspondence_date"],
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        letter = Correspondence.objects.filter(pk=object_id).first() if is_uuid(object_id) else None
        if letter is not None and not letter.is_sent and self.has_change_permission(request, letter):
            context["preview_url"] = reverse("admin:correspondence_correspondence_preview_changes", args=[letter.pk])
        return super().change_view(request, object_id, form_url, context)
