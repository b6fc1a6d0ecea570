"""The forms staff fill in for letters: choosing customer and type, one box per section, and emailing one."""

import uuid

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import formset_factory

from accounts.errors import DomainError
from accounts.models import Contact

from ... import services
from ...models import Correspondence, CorrespondenceAttachment, CorrespondenceType

SECTION_PREFIX = "section_"

# The letter's own fields a domain error may name; the customer and type are chosen before the form.
FORM_FIELDS = ("number", "correspondence_date")


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class SectionField(forms.CharField):
    """The text exactly as typed, with the browser's line ends as the API's; nothing but spaces counts as empty."""

    def to_python(self, value):
        value = super().to_python(value).replace("\r\n", "\n")
        return value if value.strip() else ""

    def validate(self, value):
        # Whether a section may be left empty is its type's rule: the service says so, in its own words.
        pass


def section_fields(kind: CorrespondenceType) -> dict[str, forms.Field]:
    """A plain box per section of the type, in its printed order: one line for a bold (subject) line."""
    fields = {}
    for section in kind.sections.all():
        if section.bold:
            widget = forms.TextInput(attrs={"class": "vLargeTextField letter-line"})
            help_text = "Printed in bold."
        else:
            widget = forms.Textarea(attrs={"rows": 8, "class": "vLargeTextField letter-text"})
            help_text = "Blank lines separate paragraphs."
        if section.postscript:
            help_text = "Printed after the closing, as a P.S."
        fields[SECTION_PREFIX + section.key] = SectionField(
            label=section.label, required=section.required, strip=False, widget=widget, help_text=help_text
        )
    return fields


def error_target(error: DomainError, section_keys) -> str | None:
    """The form field a domain error is about: a section's box, the number, the date, or the form as a whole."""
    name = error.field or ""
    if name.startswith("content."):
        key = name.removeprefix("content.")
        return SECTION_PREFIX + key if key in section_keys else None
    return name if name in FORM_FIELDS else None


class CorrespondenceForm(forms.ModelForm):
    """A letter's own fields and a box per section of its type; the service's checks give the field errors."""

    section_keys: tuple[str, ...] = ()

    class Meta:
        model = Correspondence
        fields = ["customer", "correspondence_type", "number", "correspondence_date"]
        widgets = {"customer": forms.HiddenInput, "correspondence_type": forms.HiddenInput}
        labels = {"correspondence_date": "Date of the letter"}
        help_texts = {"number": "Leave blank for the customer's next number."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "number" in self.fields:
            self.fields["number"].required = False
        content = self.instance.content or {}
        for key in self.section_keys:
            self.fields[SECTION_PREFIX + key].initial = content.get(key, "")

    def section_content(self, cleaned) -> dict[str, str]:
        return {key: cleaned[SECTION_PREFIX + key] for key in self.section_keys if cleaned.get(SECTION_PREFIX + key)}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        cleaned["content"] = self.section_content(cleaned)
        number = (cleaned.get("number") or "").strip()
        try:
            if self.instance._state.adding:
                cleaned["content"] = services.check_new_correspondence(
                    cleaned["customer"],
                    correspondence_type=cleaned["correspondence_type"],
                    content=cleaned["content"],
                    number=number,
                )
            else:
                services.correspondence_changes(
                    self.instance,
                    content=cleaned["content"],
                    number=number or None,
                    correspondence_date=cleaned.get("correspondence_date"),
                )
        except DomainError as error:
            target = error_target(error, self.section_keys) or NON_FIELD_ERRORS
            raise ValidationError({target: error.message}) from None
        return cleaned

    def validate_unique(self):
        # The service assigns the number and refuses a taken one, with its own words.
        pass


def sections_form(kind: CorrespondenceType | None) -> type[CorrespondenceForm]:
    fields = section_fields(kind) if kind is not None else {}
    keys = tuple(name.removeprefix(SECTION_PREFIX) for name in fields)
    return type("CorrespondenceSectionsForm", (CorrespondenceForm,), {**fields, "section_keys": keys})


class AttachmentForm(forms.ModelForm):
    """An attachment staff add to a letter, named as the service names the ones the API adds."""

    class Meta:
        model = CorrespondenceAttachment
        fields = ["name", "content_type", "file"]

    def clean_name(self):
        try:
            return services.check_attachment_name(self.cleaned_data["name"])
        except DomainError as error:
            raise ValidationError(error.message) from None

    def save(self, commit=True):
        upload = self.cleaned_data.get("file")
        if upload is not None and "file" in self.changed_data:
            self.instance.size = upload.size
        return super().save(commit)


class ChooseLetterForm(forms.Form):
    """Step one of writing a letter: who it is for and of which type; asked in the address (?contact=&…)."""

    contact = forms.ModelChoiceField(queryset=Contact.objects.all(), label="Customer")  # an autocomplete box
    correspondence_type = forms.ModelChoiceField(
        queryset=CorrespondenceType.objects.filter(is_active=True).prefetch_related("sections"),
        label="Type of letter",
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, admin_site, *args, **kwargs):
        super().__init__(*args, **kwargs)
        customer_field = Correspondence._meta.get_field("customer")
        self.fields["contact"] = forms.ModelChoiceField(
            queryset=Contact.objects.all(),
            label="Customer",
            widget=AutocompleteSelect(customer_field, admin_site),
            help_text="Type a name, customer code or email address.",
        )
        self.fields["correspondence_type"].label_from_instance = describe_type


def describe_type(kind: CorrespondenceType) -> str:
    sections = ", ".join(section.label for section in kind.sections.all())
    words = f"{kind.name} — {kind.description}" if kind.description else kind.name
    return f"{words} (sections: {sections})" if sections else words


class AddressForm(forms.Form):
    email = forms.EmailField(label="Address", required=False, max_length=254)


class BaseAddressFormSet(forms.BaseFormSet):
    def addresses(self) -> list[str]:
        """The addresses kept, each once, in the order shown."""
        seen, kept = set(), []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            address = (form.cleaned_data.get("email") or "").strip()
            if address and address.lower() not in seen:
                seen.add(address.lower())
                kept.append(address)
        return kept

    def clean(self):
        super().clean()
        if not any(form.errors for form in self.forms) and not self.addresses():
            raise ValidationError("Name at least one address to email the letter to.")


AddressFormSet = formset_factory(AddressForm, formset=BaseAddressFormSet, extra=1, can_delete=True)


class EmailLetterForm(forms.Form):
    """Which of the letter's own attachments go with its PDF."""

    attachment_names = forms.MultipleChoiceField(
        label="Also attach", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, letter: Correspondence, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(letter.attachments.order_by("name").values_list("name", flat=True))
        self.fields["attachment_names"].choices = [(name, name) for name in names]
        self.fields["attachment_names"].initial = names
