"""The staff upload of a mailing: one PDF per letter with refs, or one CSV naming the PDFs."""

import csv
import io
from pathlib import PurePath

from django import forms

from .models import PostalAccount, Transport
from .services import LetterUpload

TRANSPORT_CHOICES = [
    ("POST", "POST"),
    ("EMAIL", "EMAIL, then POST if the email fails"),
    ("SMS", "SMS, then POST if the SMS fails"),
]
CSV_COLUMNS = {"file", "ref", "transport", "email", "phone"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            return super().clean(None, initial)
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MailingUploadForm(forms.Form):
    postal_account = forms.ModelChoiceField(PostalAccount.objects.all())
    pdfs = MultipleFileField(label="Letters (PDF)", help_text="One PDF per letter.")
    refs = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One ref per line, for the PDFs in file-name order. Leave empty to use each file's name "
        "(without .pdf) as its ref.",
    )
    csv_file = forms.FileField(
        label="Or a CSV",
        required=False,
        help_text="Columns file, ref, and optionally transport (e.g. EMAIL or SMS POST), email, phone: "
        "one row per PDF, naming it by file name.",
    )
    transport = forms.ChoiceField(
        choices=TRANSPORT_CHOICES, initial=Transport.POST, help_text="For letters the CSV gives no transport."
    )
    email = forms.EmailField(required=False, help_text="Recipient for EMAIL, when the CSV gives none.")
    phone = forms.CharField(required=False, help_text="Recipient for SMS, when the CSV gives none.")

    def clean(self):
        cleaned = super().clean()
        pdfs = cleaned.get("pdfs") or []
        if not pdfs:
            return cleaned
        defaults = {
            "transport": cleaned.get("transport"),
            "email": cleaned.get("email") or "",
            "phone": cleaned.get("phone") or "",
        }
        by_name = {PurePath(f.name).name: f for f in pdfs}
        if len(by_name) != len(pdfs):
            raise forms.ValidationError("Two of the PDFs have the same file name.")
        if cleaned.get("csv_file"):
            if cleaned.get("refs", "").strip():
                raise forms.ValidationError("Give refs or a CSV, not both.")
            cleaned["uploads"] = self._from_csv(cleaned["csv_file"], by_name, defaults)
        else:
            cleaned["uploads"] = self._from_refs(cleaned.get("refs", ""), by_name, defaults)
        return cleaned

    @staticmethod
    def _from_refs(text: str, by_name: dict, defaults: dict) -> list[LetterUpload]:
        names = sorted(by_name)
        refs = [line.strip() for line in text.splitlines() if line.strip()]
        if not refs:
            refs = [PurePath(name).stem for name in names]
        elif len(refs) != len(names):
            raise forms.ValidationError(f"{len(refs)} refs for {len(names)} PDFs: give one ref per PDF.")
        pairs = zip(refs, names, strict=True)
        return [LetterUpload(ref=ref, pdf=by_name[name].read(), **defaults) for ref, name in pairs]

    @staticmethod
    def _from_csv(upload, by_name: dict, defaults: dict) -> list[LetterUpload]:
        try:
            rows = list(csv.DictReader(io.StringIO(upload.read().decode("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error) as error:
            raise forms.ValidationError(f"The CSV cannot be read: {error}") from None
        if not rows or not {"file", "ref"} <= set(rows[0]):
            raise forms.ValidationError("The CSV needs a header row with at least the columns file and ref.")
        unknown = set(rows[0]) - CSV_COLUMNS
        if unknown:
            raise forms.ValidationError(f"The CSV has unknown column(s): {', '.join(sorted(unknown))}.")
        named = [row["file"].strip() for row in rows]
        missing = [name for name in named if name not in by_name]
        if missing:
            raise forms.ValidationError(f"The CSV names PDFs that were not uploaded: {', '.join(missing[:10])}.")
        unused = sorted(set(by_name) - set(named))
        if unused:
            raise forms.ValidationError(f"PDFs the CSV does not name: {', '.join(unused[:10])}.")
        uploads = []
        for row in rows:
            named_transports = (row.get("transport") or "").split()
            transport = named_transports if len(named_transports) > 1 else "".join(named_transports)
            uploads.append(
                LetterUpload(
                    ref=row["ref"].strip(),
                    pdf=by_name[row["file"].strip()].read(),
                    transport=transport or defaults["transport"],
                    email=(row.get("email") or "").strip() or defaults["email"],
                    phone=(row.get("phone") or "").strip() or defaults["phone"],
                )
            )
        return uploads
