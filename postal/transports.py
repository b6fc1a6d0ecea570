"""How a letter leaves the mail house: POST through the mail-house adapter, EMAIL and SMS through the
outbound channel of communications, with open tracking.

A transport that takes the letter answers HANDED_OVER (the outbound channel confirms later through its
signals) or LODGED (the carrier lodged it at once); IN_PRODUCTION means "not yet, ask again next sweep".
A transport that cannot carry the letter raises TransportFailed, and the letter fails over.
"""

from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.errors import DomainError
from communications.services import send_email, send_sms

from .mailhouse import MailHouseRefused, mail_house
from .models import Letter, Transport

# The outbound channel's `source_type` for messages that carry letters; its signals name the letter by dbid.
SOURCE_TYPE = "postal.letter"


class Handover(StrEnum):
    LODGED = "lodged"
    HANDED_OVER = "handed_over"
    IN_PRODUCTION = "in_production"


class TransportFailed(Exception):
    """The transport could not carry the letter; the letter fails over to the next one."""


def hand_over(letter: Letter, now: datetime) -> Handover:
    """Give the letter to its current transport."""
    if letter.transport == Transport.POST:
        try:
            lodged = mail_house(is_test=letter.is_test).lodge(letter, now)
        except MailHouseRefused as refusal:
            raise TransportFailed(str(refusal)) from None
        return Handover.LODGED if lodged else Handover.IN_PRODUCTION
    try:
        if letter.transport == Transport.EMAIL:
            _send_by_email(letter)
        else:
            _send_by_sms(letter)
    except DomainError as refusal:
        # The outbound channel refused the address or content: no message was queued.
        raise TransportFailed(refusal.message) from None
    return Handover.HANDED_OVER


def tracking_urls(letter: Letter) -> dict[str, str]:
    base = settings.POSTAL_PUBLIC_URL
    return {
        "document_url": base + reverse("postal:tracking-document", args=[letter.tracking_token]),
        "pixel_url": base + reverse("postal:tracking-pixel", args=[letter.tracking_token]),
    }


def _sender_name(letter: Letter) -> str:
    return letter.postal_account.name or letter.postal_account.code


def _send_by_email(letter: Letter) -> None:
    context = {"sender": _sender_name(letter), **tracking_urls(letter)}
    with letter.pdf.open("rb") as document:
        pdf = document.read()
    send_email(
        to=[letter.email],
        subject=f"A letter from {context['sender']}",
        body=render_to_string("postal/letter_email.txt", context),
        html_body=render_to_string("postal/letter_email.html", context),
        attachments=[(f"letter-{letter.dbid}.pdf", pdf, "application/pdf")],
        is_test=letter.is_test,
        source_type=SOURCE_TYPE,
        source_id=str(letter.dbid),
    )


def _send_by_sms(letter: Letter) -> None:
    document_url = tracking_urls(letter)["document_url"]
    send_sms(
        to=letter.phone,
        body=f"{_sender_name(letter)} has sent you a letter: {document_url}",
        is_test=letter.is_test,
        source_type=SOURCE_TYPE,
        source_id=str(letter.dbid),
    )
