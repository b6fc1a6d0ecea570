"""Emailing a letter from its own page: to whom, with which covering email and attachments, then confirmed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accounts.errors import DomainError

from ... import services
from ...models import Correspondence
from .forms import AddressFormSet, EmailLetterForm, is_uuid


class EmailingLetters:
    """The "Email this letter" page of a ModelAdmin of Correspondence."""

    def email_urls(self):
        email = self.admin_site.admin_view(self.email_view)
        return [path("<uuid:pk>/email/", email, name="correspondence_correspondence_email")]

    def has_email_permission(self, request):
        return request.user.has_perm("correspondence.email_correspondence")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        if self.has_email_permission(request) and is_uuid(object_id):
            context["email_url"] = reverse("admin:correspondence_correspondence_email", args=[object_id])
        return super().change_view(request, object_id, form_url, context)

    def email_view(self, request, pk):
        letter = get_object_or_404(Correspondence.objects.select_related("customer", "correspondence_type"), pk=pk)
        if not (self.has_email_permission(request) and self.has_view_permission(request, letter)):
            raise PermissionDenied
        letter_url = reverse("admin:correspondence_correspondence_change", args=[letter.pk])
        if letter.ready_on is None or not letter.has_current_pdf:
            messages.error(request, f"Letter {letter.number} cannot be emailed yet: its PDF is still being made.")
            return HttpResponseRedirect(letter_url)
        confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
        if confirmed:
            addresses = AddressFormSet(request.POST, prefix="to")
            form = EmailLetterForm(letter, request.POST)
        else:
            initial = [{"email": address} for address in services.default_recipients(letter.customer)]
            addresses = AddressFormSet(prefix="to", initial=initial)
            form = EmailLetterForm(letter)
        if confirmed and addresses.is_valid() and form.is_valid():
            sent_to = addresses.addresses()
            try:
                services.email_correspondence(
                    letter, addresses=sent_to, attachment_names=form.cleaned_data["attachment_names"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    f"Letter {letter.number} is on its way to {', '.join(sent_to)}. "
                    "How each email fares shows under “Emails” below.",
                )
                return HttpResponseRedirect(f"{letter_url}#emails-group")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Email letter {letter.number}?",
            "opts": self.opts,
            "original": letter,
            "letter_url": letter_url,
            "addresses": addresses,
            "form": form,
            "covering": services.covering_email(letter),
            "pdf_name": letter.pdf_filename,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/correspondence/correspondence/email_letter.html", context)
