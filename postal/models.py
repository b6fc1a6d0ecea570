import re
import secrets
import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.history import RecordHistory
from accounts.models import Contact, ModeScopedModel
from correspondence.models import Correspondence

from .sql import AnyOf

# Crockford's base32: no I, L, O or U, so an epid read aloud or retyped is not misread.
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
EPID_LENGTH = 28
REF_MAX_LENGTH = 100


# A lone surrogate (a JSON `"\ud800"`) is no character at all: it cannot be stored, counted or printed.
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def are_valid_refs(refs: list) -> bool:
    """Each 1 to 100 characters, none of them a control character or a lone surrogate (refs are printed and typed)."""
    return (
        all(isinstance(ref, str) and 0 < len(ref) <= REF_MAX_LENGTH for ref in refs)
        and CONTROL_CHARACTER.search("".join(refs)) is None
    )


def new_epid() -> str:
    """28 random Crockford base32 characters (140 bits), like the seed's `2JWM49JYMXWV2PGYX8TRBGJ847JK`."""
    return "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(EPID_LENGTH))


def new_tracking_token() -> str:
    # 192 random bits: the open-tracking links carry no credentials, so the token is the secret.
    return secrets.token_urlsafe(24)


class Transport(models.TextChoices):
    EMAIL = "EMAIL", "Email"
    SMS = "SMS", "SMS"
    POST = "POST", "Post"


class LetterStatus(models.TextChoices):
    # Never stored: the answer for a reference the caller cannot see (seed 002).
    UNKNOWN = "Unknown", "Unknown"
    RECEIVED = "Received", "Received"
    LODGED = "Lodged", "Lodged"
    CANCELLED = "Cancelled", "Cancelled"
    RETURNED = "Returned", "Returned"


STORED_STATUSES = [s for s in LetterStatus.values if s != LetterStatus.UNKNOWN]
OPENED_FIELDS = ["email_first_opened", "email_last_opened", "doc_first_opened", "doc_last_opened"]


class PostalAccount(models.Model):
    """A customer's account at the mail house (`ABC12345`): the namespace of its letter references."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{3,16}$", "3 to 16 capital letters or digits, e.g. ABC12345.")],
        help_text="The account code customers send as `account`, e.g. ABC12345.",
    )
    name = models.CharField(max_length=200)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="postal_accounts"
    )
    created_on = models.DateTimeField(default=timezone.now)

    history = RecordHistory()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class MailingSource(models.TextChoices):
    API = "API", "JSON-RPC upload"
    ADMIN = "ADMIN", "Admin upload"
    CORRESPONDENCE = "CORRESPONDENCE", "Correspondence"


class Mailing(ModeScopedModel):
    """One upload of letters; `epid` is how customers and the carrier name it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    epid = models.CharField(max_length=EPID_LENGTH, unique=True, default=new_epid, editable=False)
    postal_account = models.ForeignKey(PostalAccount, on_delete=models.PROTECT, related_name="mailings")
    source = models.CharField(max_length=16, choices=MailingSource, default=MailingSource.API)
    uploaded_on = models.DateTimeField(default=timezone.now)

    history = RecordHistory()

    class Meta:
        ordering = ["-uploaded_on"]
        indexes = [
            models.Index(fields=["postal_account", "is_test", "-uploaded_on"], name="postal_mailing_recent"),
        ]

    def __str__(self):
        return self.epid


def letter_pdf_path(letter: "Letter", filename: str) -> str:
    return f"postal/{letter.received_on:%Y/%m}/{letter.mailing.epid}-{letter.idx}.pdf"


class Letter(ModeScopedModel):
    """A letter at the mail house, known to its customer by `ref` (unique per postal account)."""

    # Shown to customers as `dbid`: sequential, assigned by the database.
    dbid = models.BigAutoField(primary_key=True, verbose_name="dbid")
    # Each leads a unique constraint's index below, which serves its lookups too.
    mailing = models.ForeignKey(Mailing, on_delete=models.PROTECT, related_name="letters", db_index=False)
    postal_account = models.ForeignKey(PostalAccount, on_delete=models.PROTECT, related_name="letters", db_index=False)
    is_test = models.BooleanField(default=False, help_text="Created through a test-mode API key.")
    ref = models.CharField(max_length=REF_MAX_LENGTH, verbose_name="reference")
    idx = models.PositiveIntegerField(help_text="Position of the letter in its mailing, from 1.")
    status = models.CharField(max_length=10, choices=LetterStatus, default=LetterStatus.RECEIVED)
    transports = models.JSONField(
        default=list, help_text="Transports to try, in order: the preferred one first, then the failovers."
    )
    transport = models.CharField(max_length=5, choices=Transport, help_text="The transport carrying the letter now.")
    price = models.DecimalField(max_digits=8, decimal_places=2, help_text="Charged for every transport tried.")
    email = models.EmailField(blank=True, help_text="Recipient for the EMAIL transport.")
    phone = models.CharField(max_length=32, blank=True, help_text="Recipient for the SMS transport.")
    pdf = models.FileField(upload_to=letter_pdf_path, max_length=200)
    correspondence = models.ForeignKey(
        Correspondence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postal_letters",
        help_text="The correspondence whose PDF this letter carries, when it came from one.",
    )
    tracking_token = models.CharField(max_length=32, default=new_tracking_token, editable=False)
    received_on = models.DateTimeField(default=timezone.now)
    handed_over_on = models.DateTimeField(
        null=True, blank=True, help_text="When the current transport took the letter; Lodged once it confirms."
    )
    lodged_on = models.DateTimeField(null=True, blank=True)
    cancelled_on = models.DateTimeField(null=True, blank=True)
    returned_on = models.DateTimeField(null=True, blank=True)
    email_first_opened = models.DateTimeField(null=True, blank=True)
    email_last_opened = models.DateTimeField(null=True, blank=True)
    doc_first_opened = models.DateTimeField(null=True, blank=True)
    doc_last_opened = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="Why the last transport failed, if one did.")
    return_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the carrier returned it, in the carrier's words."
    )

    # Opens are what a recipient did, stamped on the letter by the tracking link: no change by anyone who acts.
    history = RecordHistory(excluded_fields=OPENED_FIELDS)

    class Meta:
        ordering = ["-dbid"]
        constraints = [
            # Test-mode letters have their own namespace, so a customer's trial run never blocks its live refs.
            # On PostgreSQL refs compare byte by byte in this index (pattern ops), not by the database's
            # collation: a status query of 5,000 refs does its lookups in well under half the time.
            models.UniqueConstraint(
                fields=["postal_account", "is_test", "ref"],
                opclasses=["uuid_ops", "bool_ops", "varchar_pattern_ops"],
                name="postal_letter_ref_unique_per_account",
            ),
            models.UniqueConstraint(fields=["mailing", "idx"], name="postal_letter_idx_unique_per_mailing"),
            # A constraint rather than unique=True: equality is all a token is looked up by, so no pattern index.
            models.UniqueConstraint(fields=["tracking_token"], name="postal_letter_tracking_token_unique"),
            models.CheckConstraint(condition=Q(status__in=STORED_STATUSES), name="postal_letter_status_valid"),
        ]
        indexes = [
            # The lodging sweep reads only letters still waiting; the index stays as small as that queue.
            models.Index(
                fields=["dbid"],
                condition=Q(status=LetterStatus.RECEIVED, handed_over_on__isnull=True),
                name="postal_letter_to_lodge",
            ),
            models.Index(fields=["status", "lodged_on"], name="postal_letter_status_lodged"),
            # Behind the admin list's filters and date hierarchy, in its newest-first order.
            models.Index(fields=["status", "-dbid"], name="postal_letter_status_recent"),
            models.Index(fields=["transport", "-dbid"], name="postal_letter_transport"),
            models.Index(fields=["received_on"], name="postal_letter_received"),
            # The insights read letters lodged or returned over a period.
            models.Index(fields=["lodged_on"], condition=Q(lodged_on__isnull=False), name="postal_letter_lodged"),
            models.Index(fields=["returned_on"], condition=Q(returned_on__isnull=False), name="postal_letter_returned"),
        ]

    def __str__(self):
        return f"{self.ref} ({self.dbid})"

    @property
    def transports_tried(self) -> list[str]:
        return self.transports[: self.transports.index(self.transport) + 1]

    @property
    def failed_over(self) -> bool:
        return self.transport != self.transports[0]

    @property
    def next_transport(self) -> str | None:
        following = self.transports[self.transports.index(self.transport) + 1 :]
        return following[0] if following else None


Letter._meta.get_field("ref").register_lookup(AnyOf)
