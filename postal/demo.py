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
    # The states a letter reaches over days, set directly: demo data tells a history, not a sweep.
    Letter.objects.filter(postal_account=abc, ref="myref1").update(
        status=LetterStatus.LODGED, lodged_on=now - day, email_first_opened=now - day / 2, email_last_opened=now
    )
    Letter.objects.filter(postal_account=abc, ref="myref2").update(
        status=LetterStatus.LODGED,
        lodged_on=now - day,
        transport="POST",
        price=services.price_of("SMS") + services.price_of("POST"),
        doc_first_opened=now - day / 2,
        doc_last_opened=now - day / 2,
    )
    Letter.objects.filter(postal_account=abc, ref="myref4").update(status=LetterStatus.CANCELLED, price=0)
    Letter.objects.filter(postal_account=abc, ref="myref5").update(
        status=LetterStatus.RETURNED, lodged_on=now - 3 * day, returned_on=now - day
    )
    second = accounts["ABC01234"]
    _upload(second, ["10718814"])
    _upload(second, ["987654", "1234567"])
    return (
        "postal accounts ABC12345 (letters myref1…myref5 in every status) and ABC01234; "
        "read them with a key made by `create_api_key … --postal-account ABC12345 --postal-account ABC01234`"
    )
