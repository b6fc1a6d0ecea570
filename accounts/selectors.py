"""Reads reused across entry points."""

import uuid

from django.contrib.auth import get_user_model
from django.db.models import Case, Model, Q, QuerySet, When

from .errors import NotFound
from .models import Account, AccountState, Contact, Group, UserIdentifier

CODE_MAX = Contact._meta.get_field("code").max_length


def record_id(identifier, entity: str) -> uuid.UUID:
    """The UUID an identifier spells, else NotFound: a malformed id names no record."""
    try:
        return identifier if isinstance(identifier, uuid.UUID) else uuid.UUID(str(identifier))
    except ValueError:
        raise NotFound(entity, identifier) from None


def get_by_id(queryset: QuerySet, identifier, entity: str) -> Model:
    """The record with that UUID in the queryset (already narrowed to the caller's mode), else NotFound."""
    record = queryset.filter(pk=record_id(identifier, entity)).first()
    if record is None:
        raise NotFound(entity, identifier)
    return record


def get_optional(queryset: QuerySet, identifier, entity: str) -> Model | None:
    return None if identifier is None else get_by_id(queryset, identifier, entity)


def _guid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _could_be_code(text: str) -> bool:
    if not text or len(text) > CODE_MAX or "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def contact_named(identifier, queryset: QuerySet | None = None) -> QuerySet:
    """At most one contact: the one with that GUID, else the one with that code (seed 004: a code given at create
    is "available on subsequent operations as a resource's identifier, alongside with the GUID"). A queryset, so a
    filter can use it as a subquery."""
    text = str(identifier).strip()
    guid = _guid(text)
    named = Q(pk=guid) if guid else Q(pk__in=[])
    if _could_be_code(text):
        named |= Q(code=text)
    found = (Contact.objects if queryset is None else queryset).filter(named)
    if guid:
        # A code that happens to spell another contact's GUID loses to that GUID.
        found = found.order_by(Case(When(pk=guid, then=0), default=1))
    return found[:1]


def get_contact(queryset: QuerySet, identifier, entity: str = "contact") -> Contact:
    """The contact of the queryset that the identifier names (GUID or code), else NotFound."""
    contact = next(iter(contact_named(identifier, queryset)), None)
    if contact is None:
        raise NotFound(entity, identifier)
    return contact


def user_guid(user) -> uuid.UUID:
    """The GUID the APIs show a user by; a user made without one (a bulk insert) is given it now."""
    try:
        return user.identifier.guid
    except UserIdentifier.DoesNotExist:
        return UserIdentifier.objects.get_or_create(user=user)[0].guid


def get_user(identifier, entity: str = "user"):
    """The active user with that GUID, else NotFound."""
    try:
        guid = identifier if isinstance(identifier, uuid.UUID) else uuid.UUID(str(identifier))
    except ValueError:
        raise NotFound(entity, identifier) from None
    user = get_user_model().objects.filter(identifier__guid=guid, is_active=True).select_related("identifier").first()
    if user is None:
        raise NotFound(entity, identifier)
    return user


def owning_group_of(user) -> Group | None:
    """The group that owns what `user` creates: theirs, or the first by name when they are in several."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Group.objects.filter(members=user).order_by("name", "pk").first()


# How many accounts a search for a transfer target offers at most; a longer list is narrowed by typing more.
TRANSFER_SEARCH_LIMIT = 20


def transfer_targets(account: Account, search: str = "") -> tuple[list[Account], list[Account]]:
    """Where a terminated account's balance may go: the customer's own open accounts in its currency, and the
    open accounts in that currency matching `search` (number, account name, customer name or code)."""
    candidates = (
        Account.objects.filter(currency_code=account.currency_code, is_test=account.is_test)
        .exclude(state=AccountState.TERMINATED)
        .exclude(pk=account.pk)
        .select_related("contact")
        .order_by("-is_primary", "number")
    )
    own = list(candidates.filter(contact_id=account.contact_id))
    search = search.strip()
    if not search:
        return own, []
    found = candidates.exclude(contact_id=account.contact_id).filter(
        Q(number__icontains=search)
        | Q(name__icontains=search)
        | Q(contact__code__iexact=search)
        | Q(contact__first_name__icontains=search)
        | Q(contact__last_name__icontains=search)
        | Q(contact__company_name__icontains=search)
    )
    return own, list(found[:TRANSFER_SEARCH_LIMIT])
