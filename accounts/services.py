"""Writes on contacts, their financial accounts and the records the documents refer to (subscriptions, leads,
service requests, orders). Every way in (API, admin, commands) calls these."""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import key_cache
from .errors import Conflict, IllegalTransition, InvalidValue, MissingValue
from .history import record_history
from .models import (
    Account,
    AccountState,
    Address,
    ApiKey,
    Classification,
    Contact,
    CustomerRecord,
    Lead,
    LeadState,
    Order,
    OrderState,
    PaymentTerms,
    ServiceRequest,
    ServiceRequestState,
    Subscription,
    SubscriptionState,
)
from .numbering import next_number
from .rules import (
    check_account,
    check_address,
    check_contact,
    check_primary,
    check_transfer_target,
)

log = logging.getLogger(__name__)

ACCOUNT_TRANSITIONS = {
    AccountState.ACTIVE: {AccountState.SUSPENDED, AccountState.TERMINATED},
    AccountState.SUSPENDED: {AccountState.ACTIVE, AccountState.TERMINATED},
    AccountState.TERMINATED: set(),
}


@transaction.atomic
def create_contact(*, is_test: bool, addresses: list[dict] = (), **fields) -> Contact:
    contact = Contact(is_test=is_test, **fields)
    check_contact(contact)
    checked = []
    for address in addresses:
        checked.append(Address(contact=contact, **address))
        check_address(checked[-1])
    contact.save()
    for address in checked:
        address.save()
    log.info("contact.created id=%s test=%s", contact.id, is_test)
    return contact


@transaction.atomic
def save_contact(contact: Contact) -> Contact:
    """Check and save a new or changed contact (the admin's edit form)."""
    check_contact(contact)
    contact.save()
    log.info("contact.saved id=%s", contact.id)
    return contact


def add_address(contact: Contact, **fields) -> Address:
    address = Address(contact=contact, **fields)
    check_address(address)
    address.save()
    return address


def _assign_account_number() -> str:
    return next_number("account", "AC", 8, taken=lambda number: Account.objects.filter(number=number).exists())


@transaction.atomic
def create_account(
    contact: Contact,
    *,
    currency_code: str,
    is_primary: bool = False,
    name: str = "",
    number: str = "",
    classification: Classification | None = None,
    billing_address: Address | None = None,
    payment_terms: PaymentTerms | None = None,
    credit_limit: Decimal | None = None,
) -> Account:
    # Locking the contact queues a concurrent account of the same contact behind this one.
    Contact.objects.select_for_update().filter(pk=contact.pk).first()
    account = Account(
        contact=contact,
        is_test=contact.is_test,
        number=(number or "").strip(),
        name=name,
        currency_code=currency_code,
        classification=classification or Classification.objects.filter(is_default=True).first(),
        billing_address=billing_address,
        payment_terms=payment_terms,
        credit_limit=credit_limit,
    )
    check_account(account)
    account.number = account.number or _assign_account_number()
    account.name = account.name or f"{account.number} {contact.full_name}".strip()
    account.save()
    if is_primary:
        make_primary(account)
    log.info("account.created id=%s number=%s contact=%s", account.id, account.number, contact.id)
    return account


@transaction.atomic
def make_primary(account: Account) -> Account:
    """Mark the account primary and unmark the contact's previous one, as one step."""
    # Locking the contact queues concurrent primary changes for the same contact behind each other.
    Contact.objects.select_for_update().filter(pk=account.contact_id).first()
    account.refresh_from_db()
    was_primary, account.is_primary = account.is_primary, True
    check_primary(account)
    _unmark_other_primary_accounts(account)
    if not was_primary:
        account.save(update_fields=["is_primary", "updated_on"])
    return account


def _unmark_other_primary_accounts(account: Account) -> None:
    for other in Account.objects.filter(contact_id=account.contact_id, is_primary=True).exclude(pk=account.pk):
        other.is_primary = False
        other.save(update_fields=["is_primary", "updated_on"])


UPDATABLE_ACCOUNT_FIELDS = {"classification", "billing_address", "credit_limit", "payment_terms"}


@transaction.atomic
def update_account(account: Account, *, is_primary: bool | None = None, **changes) -> Account:
    """Apply the given changes; attributes not given stay as they are."""
    unknown = set(changes) - UPDATABLE_ACCOUNT_FIELDS
    if unknown:
        raise InvalidValue(f"Cannot update {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    stored = Account.objects.select_for_update().get(pk=account.pk)
    for field, value in changes.items():
        setattr(account, field, value)
    account.is_primary = bool(is_primary) or (account.is_primary and is_primary is None)
    check_account(account, stored=stored)
    if changes:
        account.save(update_fields=[*changes, "updated_on"])
    if is_primary:
        make_primary(account)
    elif is_primary is False and stored.is_primary:
        account.save(update_fields=["is_primary", "updated_on"])
    log.info("account.updated id=%s fields=%s", account.id, ",".join(sorted(changes)))
    return account


@transaction.atomic
def save_account(account: Account) -> Account:
    """Check and save a new or changed account as a whole (the admin's form). A blank number is given the next of
    its series; marking it primary unmarks the contact's previous primary account."""
    Contact.objects.select_for_update().filter(pk=account.contact_id).first()
    stored = None if account._state.adding else Account.objects.filter(pk=account.pk).first()
    check_account(account, stored=stored)
    account.is_test = account.contact.is_test
    account.number = (account.number or "").strip() or _assign_account_number()
    account.name = (account.name or "").strip() or f"{account.number} {account.contact.full_name}".strip()
    if account.is_primary:
        _unmark_other_primary_accounts(account)
    account.save()
    log.info("account.saved id=%s number=%s", account.id, account.number)
    return account


@transaction.atomic
def change_account_state(account: Account, state: str, *, transfer_to: Account | None = None) -> Account:
    """Move an account to a new state. Terminating moves its balance to `transfer_to`."""
    if state not in AccountState.values:
        raise InvalidValue(f"{state!r} is not an account state.", field="state")
    # Lock both rows in a fixed order so two opposite transfers cannot deadlock.
    ids = sorted(str(pk) for pk in {account.pk, getattr(transfer_to, "pk", account.pk)})
    locked = {str(a.pk): a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    account = locked[str(account.pk)]
    if state not in ACCOUNT_TRANSITIONS[AccountState(account.state)]:
        raise IllegalTransition(f"An account in state {account.state} cannot become {state}.", field="state")
    if state == AccountState.TERMINATED:
        account.terminated_on = timezone.now()
        account.transferred_balance = account.balance
        _terminate(account, locked.get(str(transfer_to.pk)) if transfer_to else None)
    account.state = state
    account.save(
        update_fields=[
            "state",
            "balance",
            "overdue_amount",
            "is_primary",
            "terminated_on",
            "transferred_balance",
            "transferred_to",
            "updated_on",
        ]
    )
    log.info("account.state_changed id=%s state=%s", account.id, state)
    return account


def _terminate(account: Account, transfer_to: Account | None) -> None:
    check_transfer_target(account, transfer_to)
    if transfer_to is not None:
        transfer_to.balance += account.balance
        transfer_to.overdue_amount += account.overdue_amount
        account.balance = Decimal("0")
        account.overdue_amount = Decimal("0")
        # The primary mark stays with the contact: it moves only to an account of the same contact.
        if account.is_primary and transfer_to.contact_id == account.contact_id:
            account.is_primary = False
            account.save(update_fields=["is_primary"])
            transfer_to.is_primary = True
        transfer_to.save(update_fields=["balance", "overdue_amount", "is_primary", "updated_on"])
        account.transferred_to = transfer_to
        log.info("account.balance_transferred from=%s to=%s", account.id, transfer_to.id)
    account.is_primary = False


def suspend_account(account: Account) -> Account:
    return change_account_state(account, AccountState.SUSPENDED)


def reactivate_account(account: Account) -> Account:
    return change_account_state(account, AccountState.ACTIVE)


def terminate_account(account: Account, transfer_to: Account | None = None) -> Account:
    return change_account_state(account, AccountState.TERMINATED, transfer_to=transfer_to)


def revoke_api_key(key: ApiKey) -> ApiKey:
    """Stop a key from authenticating, for good."""
    changed = ApiKey.objects.filter(pk=key.pk, revoked_on__isnull=True).update(revoked_on=timezone.now())
    if not changed:
        raise IllegalTransition(f"API key {key.name} is already revoked.")
    key_cache.forget_all()
    key.refresh_from_db()
    record_history([key], reason="revoked")
    log.info("api_key.revoked id=%s name=%s", key.id, key.name)
    return key


def create_api_key(
    name: str,
    scopes: list[str],
    *,
    mode: str = "live",
    postal_accounts: list[str] = (),
    requests_per_minute: int | None = None,
) -> str:
    """Make a key and return it in clear; only its hash is stored, so this is the one time it is seen."""
    if requests_per_minute is not None and requests_per_minute < 1:
        raise InvalidValue("requests_per_minute must be 1 or more.", field="requests_per_minute")
    raw = ApiKey.generate(mode)
    key = ApiKey.objects.create(
        name=name,
        prefix=raw[:16],
        hashed_key=ApiKey.hash(raw),
        scopes=list(scopes),
        mode=mode,
        postal_accounts=list(postal_accounts),
        requests_per_minute=requests_per_minute,
    )
    log.info("api_key.created id=%s name=%s mode=%s scopes=%s", key.id, name, mode, ",".join(scopes))
    return raw


# Subscriptions, leads, service requests and orders ----------------------------------------------------------------

# The human number of each kind: series, prefix and digits (S60302, LD000060, SRV78001, O101367).
RECORD_NUMBERS = {
    Subscription: ("subscription", "S", 5),
    Lead: ("lead", "LD", 6),
    ServiceRequest: ("service_request", "SRV", 5),
    Order: ("order", "O", 6),
}
# Where each life cycle state may go next; a state that goes nowhere closes the record.
RECORD_TRANSITIONS = {
    Subscription: {
        SubscriptionState.DRAFT: {SubscriptionState.EFFECTIVE, SubscriptionState.CANCELLED},
        SubscriptionState.EFFECTIVE: {SubscriptionState.NOT_EFFECTIVE, SubscriptionState.CANCELLED},
        SubscriptionState.NOT_EFFECTIVE: {SubscriptionState.EFFECTIVE, SubscriptionState.CANCELLED},
        SubscriptionState.CANCELLED: set(),
    },
    Lead: {
        LeadState.PENDING: {LeadState.IN_PROGRESS, LeadState.WON, LeadState.LOST, LeadState.CANCELLED},
        LeadState.IN_PROGRESS: {LeadState.WON, LeadState.LOST, LeadState.CANCELLED},
        LeadState.WON: set(),
        LeadState.LOST: set(),
        LeadState.CANCELLED: set(),
    },
    ServiceRequest: {
        ServiceRequestState.PENDING: {
            ServiceRequestState.RESPONDED,
            ServiceRequestState.TEMPORARY_RESOLVED,
            ServiceRequestState.FINAL_RESOLVED,
            ServiceRequestState.CANCELLED,
        },
        ServiceRequestState.RESPONDED: {ServiceRequestState.TEMPORARY_RESOLVED, ServiceRequestState.FINAL_RESOLVED},
        ServiceRequestState.TEMPORARY_RESOLVED: {ServiceRequestState.RESPONDED, ServiceRequestState.FINAL_RESOLVED},
        ServiceRequestState.FINAL_RESOLVED: {ServiceRequestState.COMPLETED},
        ServiceRequestState.COMPLETED: set(),
        ServiceRequestState.CANCELLED: set(),
    },
    Order: {
        OrderState.PENDING: {OrderState.NEW, OrderState.CANCELLED},
        OrderState.NEW: {OrderState.IN_PROGRESS, OrderState.COMPLETED, OrderState.CANCELLED},
        OrderState.IN_PROGRESS: {OrderState.COMPLETED, OrderState.CANCELLED},
        OrderState.COMPLETED: set(),
        OrderState.CANCELLED: set(),
    },
}
NUMBER_MAX = CustomerRecord._meta.get_field("number").max_length


def _kind(record: CustomerRecord) -> str:
    return record._meta.verbose_name


def _a(words: str) -> str:
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _state_label(model: type[CustomerRecord], state: str) -> str:
    return str(dict(model._meta.get_field("state").flatchoices).get(state, state)).lower()


def check_record(record: CustomerRecord, *, previous_state: str | None = None) -> None:
    """The rules every saved subscription, lead, service request and order obeys, whichever way it came in;
    `previous_state` is the stored state of a record being changed."""
    model, kind = type(record), _kind(record)
    number = (record.number or "").strip()
    if len(number) > NUMBER_MAX or not number.isprintable():
        raise InvalidValue(
            f"{_a(kind).capitalize()} number is up to {NUMBER_MAX} printable characters.", field="number"
        )
    if number and model.objects.filter(number=number).exclude(pk=record.pk).exists():
        raise Conflict(f"Another {kind} has the number {number}.", field="number")
    transitions = RECORD_TRANSITIONS[model]
    if record.state not in transitions:
        raise InvalidValue(f"{record.state!r} is not a state of {_a(kind)}.", field="state")
    if previous_state not in (None, record.state) and record.state not in transitions[previous_state]:
        raise IllegalTransition(
            f"{_a(_state_label(model, previous_state) + ' ' + kind).capitalize()} cannot become "
            f"{_state_label(model, record.state)}.",
            field="state",
            parameters=["state", previous_state, record.state],
        )
    if isinstance(record, Lead) and not (record.title or "").strip():
        raise MissingValue("title", "A lead needs a title.")
    account = getattr(record, "account", None)
    if isinstance(record, Subscription) and account is None:
        raise MissingValue("account", "A subscription needs the financial account it is billed to.")
    if account is not None and account.contact_id != record.contact_id:
        raise InvalidValue(f"The financial account {account.number} belongs to another contact.", field="account")
    if account is not None and record._state.adding and account.state == AccountState.TERMINATED:
        raise InvalidValue(f"The financial account {account.number} is terminated.", field="account")
    address = getattr(record, "address", None)
    if address is not None and address.contact_id != record.contact_id:
        raise InvalidValue("The address belongs to another contact.", field="address")


@transaction.atomic
def save_record(record: CustomerRecord) -> CustomerRecord:
    """Check and save a new or changed subscription, lead, service request or order. A blank number is assigned;
    the contact and the number stay what they were; a new state must be one the life cycle allows, and reaching it
    stamps its date."""
    model, kind = type(record), _kind(record)
    stored = None
    if not record._state.adding:
        stored = model.objects.select_for_update().filter(pk=record.pk).values("contact_id", "number", "state").first()
    if stored is not None:
        if record.contact_id != stored["contact_id"]:
            raise InvalidValue(f"The contact of {_a(kind)} cannot be changed.", field="contact")
        if (record.number or "").strip() != stored["number"]:
            raise InvalidValue(f"The number of {_a(kind)} cannot be changed.", field="number")
    check_record(record, previous_state=stored and stored["state"])
    record.is_test = record.contact.is_test
    record.number = (record.number or "").strip() or _assign_record_number(model)
    _stamp_state_dates(record, previous_state=stored and stored["state"])
    record.save()
    log.info("%s.saved id=%s number=%s state=%s", model._meta.model_name, record.id, record.number, record.state)
    return record


def change_record_state(record: CustomerRecord, state: str) -> CustomerRecord:
    record.state = state
    return save_record(record)


def _assign_record_number(model: type[CustomerRecord]) -> str:
    series, prefix, width = RECORD_NUMBERS[model]
    return next_number(series, prefix, width, taken=lambda number: model.objects.filter(number=number).exists())


def _stamp_state_dates(record: CustomerRecord, *, previous_state: str | None) -> None:
    if record.state == previous_state:
        return
    now = timezone.now()
    if record.state == SubscriptionState.EFFECTIVE and isinstance(record, Subscription):
        record.effective_on = record.effective_on or now
    if not RECORD_TRANSITIONS[type(record)][record.state]:
        record.closed_on = now
