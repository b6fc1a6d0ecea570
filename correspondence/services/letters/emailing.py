"""Emailing a letter: one message per recipient through the outbound channel, and what became of each."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.actors import current_actor
from accounts.errors import DomainError, InvalidValue, MissingValue
from accounts.models import Contact
from communications.services import send_email

from ...errors.letters import EmailNotAccepted, NoSuchAttachment, NotReady
from ...models import Correspondence, CorrespondenceEmail, CorrespondenceEmailResult, CorrespondenceStatus
from ...printing import printed_date
from ...selectors.letters import current_pdf
from .status import set_status

log = logging.getLogger(__name__)

# What the outbound messages of letters are marked with, so the channel's signals find their email record.
EMAIL_SOURCE_TYPE = "correspondence.email"


def default_recipients(customer: Contact) -> list[str]:
    """The customer's own address, then its recipients marked to receive correspondence; each address once."""
    candidates = [
        customer.email,
        *customer.correspondence_recipients.filter(receives_correspondence=True).values_list("email", flat=True),
    ]
    seen, addresses = set(), []
    for address in candidates:
        if address and address.strip().lower() not in seen:
            seen.add(address.strip().lower())
            addresses.append(address.strip())
    return addresses


@dataclass(frozen=True)
class CoveringEmail:
    subject: str
    body: str


def covering_email(correspondence: Correspondence) -> CoveringEmail:
    """The email a letter goes out with, its PDF and attachments attached."""
    return CoveringEmail(_email_subject(correspondence), _email_body(correspondence))


def _email_subject(correspondence: Correspondence) -> str:
    """The letter's subject line (its first bold section) when it has one, else its type and number."""
    for section in correspondence.correspondence_type.sections.all():
        text = (correspondence.content or {}).get(section.key, "").strip()
        if section.bold and text:
            return text.splitlines()[0][:200]
    return f"{correspondence.correspondence_type.name} {correspondence.number}"


def _email_body(correspondence: Correspondence) -> str:
    kind = correspondence.correspondence_type
    sender = next((line.strip() for line in kind.letterhead.splitlines() if line.strip()), "")
    lines = [
        f"Dear {correspondence.customer.full_name or 'customer'},",
        "",
        f"please find attached our letter of {printed_date(correspondence.correspondence_date)} "
        f"(our reference {correspondence.number}).",
    ]
    if sender:
        lines += ["", "Kind regards,", sender]
    return "\n".join(lines)


@transaction.atomic
def email_correspondence(
    correspondence: Correspondence,
    *,
    addresses: list[str] | None = None,
    attachment_names=(),
) -> list[CorrespondenceEmail]:
    """Queue one email per recipient with the PDF and the named attachments; `emailed` follows on SMTP acceptance.

    Without `addresses` it goes to the customer's address and its correspondence recipients.
    """
    correspondence = (
        Correspondence.objects.select_for_update()
        .select_related("customer", "correspondence_type")
        .get(pk=correspondence.pk)
    )
    if correspondence.ready_on is None:
        raise NotReady(f"Correspondence {correspondence.id} is not ready yet; its PDF is still being rendered.")
    pdf = current_pdf(correspondence)
    extras = []
    for name in attachment_names:
        attachment = correspondence.attachments.filter(name=name).first()
        if attachment is None:
            raise NoSuchAttachment(correspondence, name)
        with attachment.file.open("rb") as stored:
            extras.append((attachment.name, stored.read(), attachment.content_type))
    recipients = list(addresses) if addresses else default_recipients(correspondence.customer)
    if not recipients:
        raise MissingValue(
            "addresses",
            "The customer has no email address and no correspondence recipients; name the addresses in {field}.",
            label="the letter's Email page",
        )
    files = [(correspondence.pdf_filename, pdf, "application/pdf"), *extras]
    covering = covering_email(correspondence)
    emails = []
    for address in recipients:
        record = CorrespondenceEmail.objects.create(
            correspondence=correspondence,
            email=address,
            attachment_names=[correspondence.pdf_filename, *(name for name, _, _ in extras)],
            **current_actor().stamp(),
        )
        try:
            # One message per recipient: nobody sees who else got the letter, and each result is their own.
            message = send_email(
                to=[address],
                subject=covering.subject,
                body=covering.body,
                attachments=files,
                is_test=correspondence.is_test,
                source_type=EMAIL_SOURCE_TYPE,
                source_id=str(record.id),
            )
        except DomainError as error:
            raise InvalidValue(error.message, field="email") from None
        except Exception as error:  # the channel could not take it: nothing of this request is kept
            log.exception("correspondence.email_not_accepted id=%s", correspondence.id)
            raise EmailNotAccepted(f"The email could not be queued for sending: {error}") from None
        record.message_id = str(message.id)
        record.save(update_fields=["message_id"])
        emails.append(record)
    log.info(
        "correspondence.email_queued id=%s emails=%s recipients=%d",
        correspondence.id,
        ",".join(str(e.id) for e in emails),
        len(emails),
    )
    return emails


@transaction.atomic
def record_email_sent(email_id, *, sent_on=None) -> CorrespondenceEmail | None:
    """The SMTP server accepted the message of an email: the email is sent, the correspondence emailed."""
    email = CorrespondenceEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None:
        return None
    email.result = CorrespondenceEmailResult.SENT
    email.sent_on = sent_on or timezone.now()
    email.error = ""
    email.save(update_fields=["result", "sent_on", "error"])
    correspondence = Correspondence.objects.select_for_update().get(pk=email.correspondence_id)
    if correspondence.emailed_on is None:
        set_status(correspondence, CorrespondenceStatus.EMAILED, True, f"accepted by the mail server for {email.email}")
        correspondence.save(update_fields=["emailed_on", "updated_on"])
    log.info("correspondence.emailed id=%s email=%s", correspondence.id, email.id)
    return email


@transaction.atomic
def record_email_failed(email_id, *, error: str) -> CorrespondenceEmail | None:
    email = CorrespondenceEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None:
        return None
    email.result = CorrespondenceEmailResult.FAILED
    email.error = error
    email.save(update_fields=["result", "error"])
    log.warning("correspondence.email_failed id=%s email=%s", email.correspondence_id, email.id)
    return email
