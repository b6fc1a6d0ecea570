"""The rules every contact, address and financial account obeys, whichever way it is written: an API family, the
admin, a command or the demo data. Each raises a domain error in the domain's words, naming the field."""

from decimal import Decimal, InvalidOperation
from functools import cache

import phonenumbers
import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from .errors import Conflict, IllegalTransition, InvalidValue, MissingValue
from .models import Account, AccountState, Address, Contact, ContactType
from .reference import validate_country, validate_currency


@cache
def language_codes() -> frozenset[str]:
    return frozenset(language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2"))


def e164_or_none(raw: str) -> str | None:
    """The number in E.164, or None when it cannot be read as one; a number without a country code is read as one
    of `CORRESPONDENCE_PHONE_REGION`."""
    try:
        number = phonenumbers.parse(raw, settings.CORRESPONDENCE_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_phone(raw: str, field: str = "phone") -> str:
    phone = (raw or "").strip()
    if phone and e164_or_none(phone) is None:
        raise InvalidValue(f"{raw!r} is not a phone number (for example +35799123456).", field=field)
    return phone


def check_language(raw: str, field: str = "preferred_language") -> str:
    code = (raw or "").strip().lower()
    if code and code not in language_codes():
        raise InvalidValue(f"{raw!r} is not an ISO 639-1 language code (for example en).", field=field)
    return code


def check_email(raw: str, field: str = "email") -> str:
    email = (raw or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidValue(f"{raw!r} is not an email address.", field=field) from None
    return email


def check_contact(contact: Contact) -> None:
    """Hold a new or changed contact to the rules, normalising what it may (a language in lower case)."""
    if contact.contact_type not in ContactType.values:
        raise InvalidValue(f"{contact.contact_type!r} is not a contact type.", field="contact_type")
    if contact.contact_type == ContactType.COMPANY:
        if not (contact.company_name or "").strip():
            raise InvalidValue("A company contact needs a company_name.", field="company_name")
    elif not ((contact.first_name or "").strip() or (contact.last_name or "").strip()):
        raise InvalidValue("A person contact needs a first_name or last_name.", field="last_name")
    contact.code = (contact.code or "").strip() or None
    if contact.code and Contact.objects.filter(code=contact.code).exclude(pk=contact.pk).exists():
        raise Conflict(f"A contact with code {contact.code} already exists.", field="code")
    contact.email = check_email(contact.email)
    contact.phone = check_phone(contact.phone)
    contact.preferred_language = check_language(contact.preferred_language)
    if contact.date_of_birth is not None and contact.date_of_birth > timezone.localdate():
        raise InvalidValue("The date of birth must not be in the future.", field="date_of_birth")


def check_address(address: Address) -> None:
    if not (address.address_line_1 or "").strip():
        raise MissingValue("address_line_1", "An address needs its first line.")
    address.country_code = validate_country(address.country_code or "")


def check_account(account: Account, *, stored: Account | None = None) -> None:
    """Hold a new or changed account to the rules; `stored` is the account as saved before this change."""
    account.currency_code = validate_currency(account.currency_code or "")
    if account.credit_limit is not None:
        try:
            account.credit_limit = Decimal(str(account.credit_limit))
        except InvalidOperation:
            raise InvalidValue(f"{account.credit_limit!r} is not an amount.", field="credit_limit") from None
        if not account.credit_limit.is_finite() or account.credit_limit < 0:
            raise InvalidValue("The credit limit must not be negative.", field="credit_limit")
    if account.billing_address_id is not None:
        billing = account.billing_address
        if billing.contact_id != account.contact_id:
            raise InvalidValue("The billing address belongs to another contact.", field="billing_address_id")
    if account.number and Account.objects.filter(number=account.number).exclude(pk=account.pk).exists():
        raise InvalidValue(f"Account number {account.number} is already taken.", field="number")
    check_primary(account)
    if stored is not None:
        if account.contact_id != stored.contact_id:
            raise InvalidValue("The contact of an account cannot be changed.", field="contact")
        if account.currency_code != stored.currency_code and (stored.balance or stored.overdue_amount):
            raise InvalidValue(
                f"Account {stored.number} holds {stored.balance} {stored.currency_code}; "
                "its currency cannot change while it holds money.",
                field="currency_code",
            )
    if account.state != AccountState.TERMINATED:
        check_one_open_account_per_currency(account)


def check_primary(account: Account) -> None:
    if account.is_primary and account.state == AccountState.TERMINATED:
        raise IllegalTransition("A terminated account cannot become the primary account.", field="is_primary")


def check_one_open_account_per_currency(account: Account) -> None:
    # Seed 004: a contact's accounts each have a different currency; a terminated one no longer counts.
    other = (
        Account.objects.filter(contact_id=account.contact_id, currency_code=account.currency_code)
        .exclude(state=AccountState.TERMINATED)
        .exclude(pk=account.pk)
        .first()
    )
    if other is not None:
        raise Conflict(
            f"The contact already has account {other.number} in {account.currency_code}; "
            "a contact has one account per currency.",
            field="currency_code",
        )


def check_transfer_target(account: Account, transfer_to: Account | None) -> None:
    """Where a terminated account's money may go: an open account in the same currency and the same mode."""
    if transfer_to is None:
        if account.balance or account.overdue_amount:
            raise InvalidValue(
                f"Account {account.number} holds a balance of {account.balance} {account.currency_code}; "
                "name the account_id to transfer it to.",
                field="account_id",
            )
        return
    if transfer_to.pk == account.pk:
        raise InvalidValue("An account cannot transfer its balance to itself.", field="account_id")
    if transfer_to.is_test != account.is_test:
        raise InvalidValue("The transfer account belongs to the other mode (live/test).", field="account_id")
    if transfer_to.currency_code != account.currency_code:
        raise InvalidValue("The transfer account has another currency.", field="account_id")
    if transfer_to.state == AccountState.TERMINATED:
        raise InvalidValue("The transfer account is terminated.", field="account_id")
