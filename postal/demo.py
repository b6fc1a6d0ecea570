"""Demo data: the postal accounts of seed 002's examples, with letters in every status."""

import io
from datetime import timedelta

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from accounts.models import Contact

from . import services
from .models import Letter, LetterStatus, Mailing, MailingSource, PostalAccount
from .services import LetterUpload

ACCOUNTS = [("ABC12345", "Easymail demo customer", "C123"), ("ABC01234", "Easymail second customer", "C200")]


def letter_pdf(ref: str, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"Letter {ref}")
    y = 760
    for line in [*lines, "", f"Reference: {ref}"]:
        page.drawString(72, y, line)
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()


def _upload(account: PostalAccount, refs: list[str], **letter) -> Mailing:
    uploads = [
        LetterUpload(ref=ref, pdf=letter_pdf(ref, ["Dear customer,", "Your statement is enclosed."]), **letter)
        for ref in refs
    ]
    return services.receive_mailing(account, uploads, is_test=False, source=MailingSource.ADMIN)


def load() -> str:
    accounts = {}
    for code, name, contact_code in ACCOUNTS:
        accounts[code], _ = PostalAccount.objects.get_or_create(
            code=code, defaults={"name": name, "contact": Contact.objects.filter(code=contact_code).first()}
        )
    if Mailing.objects.filter(postal_account__code="ABC12345").exists():
        return "postal accounts ABC12345 and ABC01234 already have their letters"

    now = timezone.now()
    day = timedelta(days=1)
    abc = accounts["ABC12345"]
    _upload(abc, ["myref1"], transport="EMAIL", email="john.smith@example.com")
    _upload(abc, ["myref2"], transport=["SMS", "POST"], phone="+35799123456")
    _upload(abc, ["myref3", "myref4", "myref5"])
    # The days a letter's journey takes, in the order they happen: received, then lodged (or cancelled),
    # opened or returned after that. Demo data tells a history, not a sweep, so the stamps are set here.
    received = now - 6 * day
    Mailing.objects.filter(postal_account=abc).update(uploaded_on=received)
    journeys = {
        "myref1": {
            "status": LetterStatus.LODGED,
            "lodged_on": received + day,
            "email_first_opened": now - 2 * day,
            "email_last_opened": now - day,
        },
        "myref2": {
            "status": LetterStatus.LODGED,
            "lodged_on": received + 2 * day,
            "transport": "POST",
            "price": services.price_of("SMS") + services.price_of("POST"),
            "last_error": "SMS: the number did not answer",
            "doc_first_opened": now - day,
            "doc_last_opened": now - day,
        },
        "myref4": {"status": LetterStatus.CANCELLED, "cancelled_on": received + day / 4, "price": 0},
        "myref5": {
            "status": LetterStatus.RETURNED,
            "lodged_on": received + day,
            "returned_on": now - day,
            "return_reason": "Addressee unknown at this address",
        },
    }
    for letter in Letter.objects.filter(postal_account=abc):
        letter.received_on = received
        for name, value in journeys.get(letter.ref, {}).items():
            setattr(letter, name, value)
        letter.save()
    second = accounts["ABC01234"]
    _upload(second, ["10718814"])
    _upload(second, ["987654", "1234567"])
    return (
        "postal accounts ABC12345 (letters myref1…myref5 in every status) and ABC01234; "
        "read them with a key made by `create_api_key … --postal-account ABC12345 --postal-account ABC01234`"
    )
