"""Reads shared by the API and the admin: querysets shaped for the CRM.COM representation, without N+1."""

from collections.abc import Iterable
from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.query import ModelIterable

from accounts.models import Account, Address, Contact

from .models import Communication, OutboundStatus, QueueEntry, QueueState

# The querysets below are built once per process and cloned for each use: resolving their annotations and
# related columns cost about a millisecond of every API call. Never evaluate one of the cached objects itself.


def contacts_with_state() -> QuerySet:
    """Contacts annotated with what CRM.COM's shape derives from other rows, so showing one costs no query:
    whether they hold a financial account (FINANCIAL life cycle state) and their primary address's country."""
    return _contacts_with_state().all()


@cache
def _contacts_with_state() -> QuerySet:
    addresses = Address.objects.filter(contact=OuterRef("pk")).order_by(*Address._meta.ordering)
    return Contact.objects.annotate(
        is_financial=Exists(Account.objects.filter(contact=OuterRef("pk"))),
        residence_country_code=Subquery(addresses.values("country_code")[:1]),
    )


def users_who_acted() -> list[Prefetch]:
    """The users who created and last changed a record, with the GUIDs the family shows them by."""
    users = get_user_model().objects.select_related("identifier")
    return [Prefetch("created_by_user", queryset=users), Prefetch("updated_by_user", queryset=users)]


def users_by_id(ids: Iterable) -> dict:
    """The users of these ids (None left out), with the GUIDs the family shows them by; no query when none."""
    wanted = set(ids) - {None}
    if not wanted:
        return {}
    return {user.pk: user for user in get_user_model().objects.select_related("identifier").filter(pk__in=wanted)}


def communications(is_test: bool) -> QuerySet:
    return _communications().in_mode(is_test).prefetch_related(*users_who_acted(), "parameters")


class _WithContactState(ModelIterable):
    """Communications whose contact came joined, carrying what contacts_with_state() annotates a contact with."""

    def __iter__(self):
        for communication in super().__iter__():
            contact = communication.contact
            contact.is_financial = communication.contact_is_financial
            contact.residence_country_code = communication.contact_residence_country_code
            yield communication


@cache
def _communications() -> QuerySet:
    # Users are prefetched, as for queue entries: two more tables in this join cost more planning than the
    # queries they save. The contact is joined, its derived fields annotated: prepared statements plan the
    # join once per connection, and a query less saves its building in Python on every request.
    related = (
        "contact",
        "category",
        "queue_external_system",
        "privacy_level",
        "owned_by_group",
        "created_by_key",
        "updated_by_key",
    )
    addresses = Address.objects.filter(contact=OuterRef("contact_id")).order_by(*Address._meta.ordering)
    queryset = Communication.objects.select_related(*related).annotate(
        contact_is_financial=Exists(Account.objects.filter(contact=OuterRef("contact_id"))),
        contact_residence_country_code=Subquery(addresses.values("country_code")[:1]),
    )
    queryset._iterable_class = _WithContactState
    return queryset


def communications_with_contact_state() -> QuerySet:
    """Every communication, its contact's derived fields annotated (contact_is_financial,
    contact_residence_country_code), for values() reads that build their answer by plain code."""
    return _communications()


def list_communications(is_test: bool) -> QuerySet:
    """Newest first; the API's FilterSet narrows it."""
    return communications(is_test).order_by("-created_on", "-number")


# What the CRM.COM representation of a queue entry reads, and nothing more: a communication's content and
# user-defined fields are not part of it, and loading them made every row of get_latest several times wider.
QUEUE_ENTRY_COLUMNS = (
    *(field.attname for field in QueueEntry._meta.concrete_fields),
    *(f"communication__{name}" for name in ("id", "is_test", "number", "state", "subject", "contact_id")),
    *(f"external_system__{name}" for name in ("id", "name", "alternative_code")),
    *(f"{key}__{name}" for key in ("created_by_key", "updated_by_key") for name in ("id", "name", "prefix")),
)


def queue_entries(is_test: bool) -> QuerySet:
    # Users in queries of their own (only when an entry names one): each more table in the join multiplies
    # PostgreSQL's planning (about 1 ms for five tables against 8 ms for seven, before prepared statements).
    return _queue_entries().in_mode(is_test).prefetch_related(*users_who_acted())


class _EntriesWithContactState(ModelIterable):
    """Queue entries whose communication's contact came joined, with what contacts_with_state() annotates."""

    def __iter__(self):
        for entry in super().__iter__():
            contact = entry.communication.contact
            contact.is_financial = entry.contact_is_financial
            contact.residence_country_code = entry.contact_residence_country_code
            yield entry


@cache
def _queue_entries() -> QuerySet:
    # The contact is joined with its derived fields, as for communications: one query less for every process.
    related = ("communication__contact", "external_system", "created_by_key", "updated_by_key")
    queryset = (
        _queue_entries_with_contact_state()
        .select_related(*related)
        .only(*QUEUE_ENTRY_COLUMNS, *(f"communication__contact__{f.attname}" for f in Contact._meta.concrete_fields))
    )
    queryset._iterable_class = _EntriesWithContactState
    return queryset


def queue_entries_with_contact_state() -> QuerySet:
    """Every queue entry, its communication's contact's derived fields annotated (contact_is_financial,
    contact_residence_country_code), for values() reads that build their answer by plain code."""
    return _queue_entries_with_contact_state()


@cache
def _queue_entries_with_contact_state() -> QuerySet:
    contact = OuterRef("communication__contact_id")
    addresses = Address.objects.filter(contact=contact).order_by(*Address._meta.ordering)
    return QueueEntry.objects.annotate(
        contact_is_financial=Exists(Account.objects.filter(contact=contact)),
        contact_residence_country_code=Subquery(addresses.values("country_code")[:1]),
    )


def list_queue_entries(is_test: bool, *, states=None) -> QuerySet:
    """Newest first, for values() reads (queue_entries_with_contact_state); the API's FilterSet narrows it."""
    queryset = queue_entries_with_contact_state().in_mode(is_test)
    if states:
        queryset = queryset.filter(state__in=states)
    return queryset.order_by("-created_on", "-number")


def latest_pending(is_test: bool) -> QuerySet:
    return list_queue_entries(is_test, states=[QueueState.PENDING])


def pending_and_completed(is_test: bool) -> QuerySet:
    return list_queue_entries(is_test, states=[QueueState.PENDING, QueueState.COMPLETED])


def rejection_reasons() -> QuerySet:
    """The error codes queue entries were rejected with, each once with its latest description, by code."""
    latest = (
        QueueEntry.objects.filter(error_code=OuterRef("error_code"))
        .exclude(error_description=None)
        .order_by("-rejected_on", "-updated_on")
        .values("error_description")[:1]
    )
    return (
        QueueEntry.objects.exclude(error_code=None)
        .exclude(error_code="")
        .values("error_code")
        .distinct()
        .annotate(description=Subquery(latest))
        .order_by("error_code")
    )


def failed_or_retrying(messages: QuerySet) -> QuerySet:
    """Messages that failed for good, or are waiting to be tried again after a failed attempt."""
    waiting = [OutboundStatus.QUEUED, OutboundStatus.SENDING]
    return messages.filter(Q(status=OutboundStatus.FAILED) | Q(status__in=waiting, attempts__gt=0))
