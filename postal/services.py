"""Writes on mailings and letters. Every way in (JSON-RPC, admin, commands, tasks) calls these."""

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from pypdfium2 import PdfDocument, PdfiumError

from accounts.background import start_task_after_commit
from accounts.errors import Conflict, IllegalTransition, InvalidValue, MissingValue, NotFound
from accounts.history import record_history
from correspondence.models import Correspondence
from correspondence.selectors import current_pdf

from . import transports
from .mailhouse import mail_houses
from .models import (
    REF_MAX_LENGTH,
    Letter,
    LetterStatus,
    Mailing,
    MailingSource,
    PostalAccount,
    Transport,
    are_valid_refs,
)

log = logging.getLogger(__name__)

MAX_LETTERS_PER_MAILING = 5000
PDF_MAGIC = b"%PDF-"
LODGING_CHUNK = 200
# PDFium keeps global state: one document is opened at a time in a process, whatever thread asks.
PDFIUM = threading.Lock()


@dataclass
class LetterUpload:
    """One letter of an upload, before it is stored."""

    ref: str
    pdf: bytes
    # The preferred transport (a name) or the whole order to try (a list); None means POST.
    transport: str | list[str] | None = None
    email: str = ""
    phone: str = ""
    correspondence: Correspondence | None = None


def transport_plan(preferred, where: str = "transport") -> list[str]:
    """The transports to try, in order. A single transport other than POST fails over to POST,
    since a printed letter reaches every address; a list is tried exactly as given."""
    if preferred in (None, ""):
        return [Transport.POST]
    if isinstance(preferred, str):
        plan = [preferred] if preferred == Transport.POST else [preferred, Transport.POST]
    elif isinstance(preferred, list) and preferred:
        plan = list(preferred)
    else:
        raise InvalidValue(f"{where} must be EMAIL, SMS or POST, or a list of them.", field=where)
    unknown = [t for t in plan if t not in Transport.values]
    if unknown:
        raise InvalidValue(f"{where} accepts EMAIL, SMS and POST; got {unknown[0]!r}.", field=where)
    if len(set(plan)) != len(plan):
        raise InvalidValue(f"{where} names each transport at most once.", field=where)
    return plan


def price_of(transport: str):
    return settings.POSTAL_PRICES[transport]


def _check_upload(letters: list[LetterUpload]) -> list[list[str]]:
    """Refuse an upload with any bad letter; return each letter's transport plan."""
    if not letters:
        raise MissingValue("letters", "A mailing needs at least one letter.")
    if len(letters) > MAX_LETTERS_PER_MAILING:
        raise InvalidValue(f"A mailing holds at most {MAX_LETTERS_PER_MAILING} letters.", field="letters")
    seen = set()
    plans = []
    for position, letter in enumerate(letters, start=1):
        where = f"letters[{position - 1}]"
        if not isinstance(letter.ref, str) or not letter.ref.strip():
            raise MissingValue(f"{where}.ref", f"Letter {position} has no ref.")
        if not are_valid_refs([letter.ref]):
            raise InvalidValue(
                f"ref {letter.ref[:20]!r} must be 1 to {REF_MAX_LENGTH} characters, no control characters.",
                field=f"{where}.ref",
            )
        if letter.ref in seen:
            raise Conflict(f"ref {letter.ref} appears twice in the mailing.", field="ref", parameters=[letter.ref])
        seen.add(letter.ref)
        if not is_printable_pdf(letter.pdf):
            raise InvalidValue(
                f"The document of ref {letter.ref} is not a PDF the mail house can print: it does not open as a "
                "PDF with at least one page (damaged, cut short, password-protected or not a PDF at all).",
                field=f"{where}.pdf",
            )
        plan = transport_plan(letter.transport, f"{where}.transport")
        if Transport.EMAIL in plan:
            if not letter.email:
                raise MissingValue(f"{where}.email", f"ref {letter.ref} goes by EMAIL but has no email address.")
            try:
                validate_email(letter.email)
            except ValidationError:
                raise InvalidValue(f"{letter.email!r} is not an email address.", field=f"{where}.email") from None
        if Transport.SMS in plan and not letter.phone:
            raise MissingValue(f"{where}.phone", f"ref {letter.ref} goes by SMS but has no phone number.")
        plans.append(plan)
    return plans


def is_printable_pdf(data: bytes) -> bool:
    """The bytes open as a PDF (parsed, not only its first bytes) with at least one page, and no password."""
    if not isinstance(data, bytes | bytearray) or not data.startswith(PDF_MAGIC):
        return False
    with PDFIUM:
        try:
            document = PdfDocument(bytes(data))
        except PdfiumError:
            return False
        try:
            return len(document) > 0
        finally:
            document.close()


def _refuse_refs_in_use(account: PostalAccount, refs: list[str], is_test: bool) -> None:
    taken = list(
        Letter.objects.in_mode(is_test).filter(postal_account=account, ref__any=refs).values_list("ref", flat=True)
    )
    if taken:
        shown = ", ".join(sorted(taken)[:10]) + (" …" if len(taken) > 10 else "")
        raise Conflict(
            f"{len(taken)} ref(s) already used on account {account.code}: {shown}. Every letter needs its own ref.",
            field="ref",
            parameters=sorted(taken),
        )


def receive_mailing(
    account: PostalAccount, letters: list[LetterUpload], *, is_test: bool, source: str = MailingSource.API
) -> Mailing:
    """Store a mailing of Received letters, all or none, and have them lodged."""
    plans = _check_upload(letters)
    refs = [letter.ref for letter in letters]
    _refuse_refs_in_use(account, refs, is_test)
    stored_files: list[Letter] = []
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(postal_account=account, is_test=is_test, source=source)
            now = timezone.now()
            rows = []
            for idx, (upload, plan) in enumerate(zip(letters, plans, strict=True), start=1):
                letter = Letter(
                    mailing=mailing,
                    postal_account=account,
                    is_test=is_test,
                    ref=upload.ref,
                    idx=idx,
                    transports=plan,
                    transport=plan[0],
                    price=price_of(plan[0]),
                    email=upload.email,
                    phone=upload.phone,
                    correspondence=upload.correspondence,
                    received_on=now,
                )
                letter.pdf.save(f"{upload.ref}.pdf", ContentFile(upload.pdf), save=False)
                stored_files.append(letter)
                rows.append(letter)
            Letter.objects.bulk_create(rows)
            record_history(rows, created=True)
            # Wake a worker for the new letters; if the broker is down the beat sweep lodges them.
            start_task_after_commit("postal.lodge_letters")
    except IntegrityError:
        _delete_files(stored_files)
        # A concurrent upload took one of the refs between the check and the insert.
        _refuse_refs_in_use(account, refs, is_test)
        raise
    except BaseException:
        _delete_files(stored_files)
        raise
    log.info("mailing.received id=%s epid=%s account=%s letters=%s", mailing.id, mailing.epid, account.code, len(rows))
    return mailing


def letter_from_correspondence(
    correspondence: Correspondence,
    *,
    ref: str | None = None,
    transport: str | list[str] | None = None,
    email: str = "",
    phone: str = "",
) -> LetterUpload:
    """A letter carrying the correspondence's rendered PDF; email and phone default to its customer's.

    The ref defaults to the correspondence id, so the same correspondence is not posted twice by accident.
    """
    customer = correspondence.customer
    return LetterUpload(
        ref=ref or str(correspondence.id),
        pdf=current_pdf(correspondence),
        transport=transport,
        email=email or customer.email,
        phone=phone or customer.phone,
        correspondence=correspondence,
    )


def post_correspondence(correspondence: Correspondence, account: PostalAccount, *, is_test: bool, **letter) -> Letter:
    """Send a correspondence's PDF as a letter of its own mailing (the backend family's `post` action)."""
    if correspondence.is_test != is_test:
        raise NotFound("correspondence", correspondence.id)
    mailing = receive_mailing(
        account,
        [letter_from_correspondence(correspondence, **letter)],
        is_test=is_test,
        source=MailingSource.CORRESPONDENCE,
    )
    posted = mailing.letters.select_related("mailing", "postal_account").get()
    log.info("correspondence.posted id=%s letter=%s account=%s", correspondence.id, posted.dbid, account.code)
    return posted


def _delete_files(letters: list[Letter]) -> None:
    for letter in letters:
        letter.pdf.delete(save=False)


def cancel_letter(letter: Letter) -> Letter:
    """Received → Cancelled: taken out of production and not charged. Refused once a transport has it."""
    now = timezone.now()
    changed = Letter.objects.filter(pk=letter.pk, status=LetterStatus.RECEIVED, handed_over_on__isnull=True).update(
        status=LetterStatus.CANCELLED, cancelled_on=now, price=0
    )
    letter.refresh_from_db()
    if not changed:
        if letter.status == LetterStatus.RECEIVED:
            reason = f"Letter {letter.ref} is already being sent by {letter.transport}; it can no longer be cancelled."
        else:
            reason = f"Letter {letter.ref} is {letter.status}; only Received letters can be cancelled."
        raise IllegalTransition(reason, field="ref")
    record_history([letter], reason="cancelled")
    log.info("letter.cancelled dbid=%s ref=%s", letter.dbid, letter.ref)
    return letter


def lodge_due_letters(*, now: datetime | None = None, progress: Callable[[int], None] | None = None) -> Counter:
    """Hand every Received letter no transport has yet to its transport; those the carrier is still
    producing stay Received for the next sweep.

    Each chunk of letters is locked while it is handed over (rows another worker holds are skipped),
    so two sweeps never hand the same letter over twice.
    """
    now = now or timezone.now()
    outcomes: Counter = Counter()
    after = 0
    while True:
        with transaction.atomic():
            chunk = list(
                Letter.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("mailing", "postal_account")
                .filter(status=LetterStatus.RECEIVED, handed_over_on__isnull=True, dbid__gt=after)
                .order_by("dbid")[:LODGING_CHUNK]
            )
            for letter in chunk:
                outcomes[lodge_letter(letter, now)] += 1
        if not chunk:
            return outcomes
        after = chunk[-1].dbid
        if progress:
            progress(len(chunk))


def lodge_letter(letter: Letter, now: datetime) -> str:
    """Hand the letter to its current transport, failing over to the next one it names. Returns what happened."""
    while True:
        try:
            handover = transports.hand_over(letter, now)
        except transports.TransportFailed as failure:
            if not _fail_over(letter, str(failure), now):
                return "returned"
            continue
        if handover == transports.Handover.IN_PRODUCTION:
            return handover.value
        letter.handed_over_on = now
        if handover == transports.Handover.LODGED:
            letter.status = LetterStatus.LODGED
            letter.lodged_on = now
        letter.save(update_fields=["status", "handed_over_on", "lodged_on", "transport", "price", "last_error"])
        log.info("letter.%s dbid=%s transport=%s", handover.value, letter.dbid, letter.transport)
        return handover.value


def _fail_over(letter: Letter, reason: str, now: datetime) -> bool:
    """Move the letter to its next transport (charged on top); with none left it is Returned."""
    failed = letter.transport
    letter.last_error = f"{failed}: {reason}"
    letter.handed_over_on = None
    following = letter.next_transport
    if following is None:
        letter.status = LetterStatus.RETURNED
        letter.returned_on = now
        letter.save(update_fields=["status", "returned_on", "handed_over_on", "last_error"])
        log.warning("letter.undeliverable dbid=%s transport=%s error=%s", letter.dbid, failed, reason)
        return False
    letter.transport = following
    letter.price += price_of(following)
    letter.save(update_fields=["transport", "price", "handed_over_on", "last_error"])
    log.warning("letter.failed_over dbid=%s from=%s to=%s error=%s", letter.dbid, failed, following, reason)
    return True


def _letter_awaiting(dbid: str, transport: str) -> Letter | None:
    """The letter, locked, if it is still waiting for `transport` to confirm it; None for a stale report."""
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("mailing", "postal_account")
        .filter(dbid=dbid, status=LetterStatus.RECEIVED, transport=transport, handed_over_on__isnull=False)
        .first()
    )
    if letter is None:
        log.info("letter.stale_transport_report dbid=%s transport=%s", dbid, transport)
    return letter


@transaction.atomic
def transport_sent(dbid: str, transport: str, sent_on: datetime | None = None) -> Letter | None:
    """The email or SMS carrying the letter was sent: the letter is Lodged."""
    letter = _letter_awaiting(dbid, transport)
    if letter is None:
        return None
    letter.status = LetterStatus.LODGED
    letter.lodged_on = sent_on or timezone.now()
    letter.save(update_fields=["status", "lodged_on"])
    log.info("letter.lodged dbid=%s transport=%s", letter.dbid, transport)
    return letter


@transaction.atomic
def transport_failed(dbid: str, transport: str, reason: str) -> Letter | None:
    """The email or SMS carrying the letter failed for good: on to the next transport, at once."""
    letter = _letter_awaiting(dbid, transport)
    if letter is None:
        return None
    now = timezone.now()
    if _fail_over(letter, reason, now):
        lodge_letter(letter, now)
    return letter


@dataclass
class ReturnsSummary:
    returned: int = 0
    already_returned: int = 0
    not_lodged: int = 0
    unknown: int = 0

    def add(self, other: "ReturnsSummary") -> None:
        for name in ("returned", "already_returned", "not_lodged", "unknown"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def mark_returned(account_code: str, refs: Iterable[str], *, is_test: bool = False, reason: str = "") -> ReturnsSummary:
    """Lodged → Returned for the named letters of one account, for one reason, in one statement."""
    refs = list(dict.fromkeys(refs))
    letters = Letter.objects.in_mode(is_test).filter(postal_account__code=account_code, ref__any=refs)
    with transaction.atomic():
        found = dict(letters.select_for_update(of=("self",)).values_list("ref", "status"))
        lodged = [ref for ref, status in found.items() if status == LetterStatus.LODGED]
        now_returned = letters.filter(ref__any=lodged)
        returned = now_returned.update(
            status=LetterStatus.RETURNED, returned_on=timezone.now(), return_reason=reason.strip()[:200]
        )
        record_history(now_returned, reason="returned")
    statuses = Counter(found.values())
    summary = ReturnsSummary(
        returned=returned,
        already_returned=statuses[LetterStatus.RETURNED],
        not_lodged=statuses[LetterStatus.RECEIVED] + statuses[LetterStatus.CANCELLED],
        unknown=len(refs) - len(found),
    )
    if returned:
        log.info("letters.returned account=%s count=%s test=%s", account_code, returned, is_test)
    return summary


def import_returns(
    rows: Iterable[tuple[str, ...]], *, chunk_size: int = 1000, progress: Callable[[int], None] | None = None
) -> ReturnsSummary:
    """A carrier's list of returned letters, (account code, ref[, reason]) per row, applied a chunk at a time."""
    total = ReturnsSummary()
    chunk: list[tuple[str, ...]] = []

    def apply() -> None:
        total.add(_mark_returned_per_account(chunk))
        if progress:
            progress(len(chunk))
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= chunk_size:
            apply()
    if chunk:
        apply()
    return total


def collect_returns(now: datetime | None = None) -> ReturnsSummary:
    """Ask each mail house which letters came back, and why, and mark them Returned."""
    now = now or timezone.now()
    total = ReturnsSummary()
    for house in mail_houses():
        total.add(_mark_returned_per_account(house.returned_letters(now), is_test=house.is_test))
    return total


def _mark_returned_per_account(rows: Iterable[tuple[str, ...]], *, is_test: bool = False) -> ReturnsSummary:
    """(account, ref[, reason]) rows, one statement per account and reason."""
    total = ReturnsSummary()
    grouped: dict[tuple[str, str], list[str]] = {}
    for account, ref, *reason in rows:
        grouped.setdefault((account, reason[0] if reason else ""), []).append(ref)
    for (account, reason), refs in grouped.items():
        total.add(mark_returned(account, refs, is_test=is_test, reason=reason))
    return total


def record_email_open(token: str) -> bool:
    """The tracking pixel of an emailed letter was loaded: the email was opened."""
    return _record_open(token, "email_first_opened", "email_last_opened")


def record_document_open(token: str) -> Letter | None:
    """The letter's document link was followed; returns the letter to serve, None for an unknown token."""
    if not _record_open(token, "doc_first_opened", "doc_last_opened"):
        return None
    return Letter.objects.get(tracking_token=token)


def _record_open(token: str, first: str, last: str) -> bool:
    now = timezone.now()
    opened = Letter.objects.filter(tracking_token=token).update(**{first: Coalesce(first, Value(now)), last: now})
    if opened:
        log.info("letter.opened token=%s… what=%s", token[:6], first.split("_")[0])
    return bool(opened)
