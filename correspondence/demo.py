"""Demo data: the "Standard letter" type and a few letters for the demo customers, rendered."""

from accounts.models import Contact

from . import services
from .models import Correspondence, CorrespondenceRecipient, CorrespondenceSection, CorrespondenceType

STANDARD_LETTER = {
    "letterhead": "Acme Utilities Ltd\n1 High Street\nLondon EC1A 1AA\n+44 20 7946 0000\nletters@acme.example.com",
    "return_address": "Acme Utilities Ltd · 1 High Street · London EC1A 1AA",
    "closing": "Yours sincerely,\n\n\nCustomer Services\nAcme Utilities Ltd",
}
# key, heading, required, bold, postscript
SECTIONS = [("subject", "", True, True, False), ("body", "", True, False, False), ("ps", "P.S.", False, False, True)]
LETTERS = {
    "C123": [
        {
            "subject": "Your new tariff from 1 January",
            "body": "Dear Mr Smith,\n\nFrom 1 January your tariff changes to Green Fixed 24. "
            "Your monthly payment stays at EUR 99.99.\n\nIf you have any questions, reply to this letter "
            "or call us on +44 20 7946 0000.",
            "ps": "Switching to paperless billing saves you EUR 2 a month.",
        },
        {"subject": "Meter reading due", "body": "Dear Mr Smith,\n\nPlease send us your meter reading by 31 March."},
    ],
    "C124": [
        {
            "subject": "Welcome to Acme Utilities",
            "body": "Dear Ms Georgiou,\n\nThank you for choosing us. Your account is now active.",
        }
    ],
    "C200": [{"subject": "Annual statement", "body": "Dear customer,\n\nYour annual statement is enclosed."}],
}
RECIPIENTS = {"C200": [("Ingrid Berg", "ingrid.berg@nordlys.example.com")]}


def load() -> str:
    kind, created_type = CorrespondenceType.objects.get_or_create(name="Standard letter", defaults=STANDARD_LETTER)
    if created_type:
        for position, (key, heading, required, bold, postscript) in enumerate(SECTIONS, start=1):
            CorrespondenceSection.objects.create(
                correspondence_type=kind,
                key=key,
                heading=heading,
                required=required,
                bold=bold,
                postscript=postscript,
                position=position,
            )
    added = 0
    for code, letters in LETTERS.items():
        customer = Contact.objects.filter(code=code).first()
        if customer is None or Correspondence.objects.filter(customer=customer).exists():
            continue
        for content in letters:
            services.create_correspondence(customer, correspondence_type=kind, content=content)
            added += 1
        for name, email in RECIPIENTS.get(code, []):
            CorrespondenceRecipient.objects.get_or_create(customer=customer, email=email, defaults={"name": name})
    return f"{added} new letter(s); type 'Standard letter'"
