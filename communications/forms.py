"""Staff's form for logging a communication that happened: a call taken, an email received, a visit."""

from django import forms
from django.conf import settings

from accounts.errors import DomainError

from . import services
from .models import Communication, CommunicationState, Direction, Media

# The outbound channel, which sends what is logged as outgoing, names the recipient `to`.
OUTBOUND_FIELDS = {"to": "to_address"}


class LogCommunicationForm(forms.ModelForm):
    """Written through the same service as every API; what the service refuses is shown on the form, nothing kept.

    The communication is created while the form is checked (in the admin's transaction), so the service's own
    checks are the form's; the admin then only records that it was added."""

    class Meta:
        model = Communication
        fields = ["contact", "direction", "media", "to_address", "subject", "content", "notes", "category"]
        widgets = {"direction": forms.RadioSelect, "content": forms.Textarea(attrs={"rows": 6})}
        labels = {"to_address": "To", "content": "What was said"}
        help_texts = {
            "to_address": "For an email: the addresses, comma-separated. Left blank, an outgoing email goes to the "
            "customer's address and an incoming one is logged as sent to us; an outgoing SMS to the customer's phone.",
            "direction": "An outgoing email or SMS is sent to the customer when saved; anything else is only logged.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Direction.choices
        self.fields["direction"].initial = self.fields["direction"].initial or Direction.INCOMING
        self.fields["subject"].required = True
        self.fields["content"].required = True

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        data = self.cleaned_data
        contact = data["contact"]
        to = data["to_address"].strip()
        if not to and data["media"] == Media.EMAIL:
            to = contact.email if data["direction"] == Direction.OUTGOING else settings.DEFAULT_FROM_EMAIL
        try:
            self.instance = services.create_communication(
                is_test=contact.is_test,
                contact=contact,
                state=CommunicationState.COMPLETED,
                direction=data["direction"],
                media=data["media"],
                to=to,
                subject=data["subject"],
                content=data["content"],
                notes=data["notes"] or None,
                category=data["category"],
            )
        except DomainError as error:
            field = OUTBOUND_FIELDS.get(error.field, error.field)
            self.add_error(field if field in self.fields else None, error.message)
