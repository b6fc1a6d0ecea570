"""What an insight can chart: the business events every app records, their measurements, and the properties
events are filtered and broken down by. The one vocabulary the API, the admin and the engine share."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models
from django.db.models import OuterRef, Q, Subquery

from accounts.models import Account, Address, Contact, ContactType, Team
from activities.models import Activity, ActivityState, ActivityStateChange, ActivityType
from communications.models import Category, Communication, Direction, Media, OutboundMessage, QueueEntry
from communications.models import QueueExternalSystem as ExternalSystem
from correspondence.models import Correspondence
from postal.models import Letter, Transport


class Measurement(models.TextChoices):
    COUNT = "COUNT", "Number of events"
    UNIQUE_CONTACTS = "UNIQUE_CONTACTS", "Unique contacts"
    TOTAL_AMOUNT = "TOTAL_AMOUNT", "Total amount"
    AVERAGE_AMOUNT = "AVERAGE_AMOUNT", "Average amount"


AMOUNT_MEASUREMENTS = {Measurement.TOTAL_AMOUNT, Measurement.AVERAGE_AMOUNT}


class Kind(StrEnum):
    """How a property's values are compared: a fixed list, a code or name, a record's id, or a number."""

    CHOICE = "choice"
    CODE = "code"
    IDENTIFIER = "identifier"
    NUMBER = "number"


class Operator(StrEnum):
    EQUALS = "EQUALS"
    NOT_EQUALS = "NOT_EQUALS"
    IN = "IN"
    NOT_IN = "NOT_IN"
    CONTAINS = "CONTAINS"
    GREATER_THAN = "GREATER_THAN"
    GREATER_THAN_OR_EQUAL = "GREATER_THAN_OR_EQUAL"
    LESS_THAN = "LESS_THAN"
    LESS_THAN_OR_EQUAL = "LESS_THAN_OR_EQUAL"
    BETWEEN = "BETWEEN"
    IS_SET = "IS_SET"
    IS_NOT_SET = "IS_NOT_SET"


OPERATOR_LABELS = {
    Operator.EQUALS: "is",
    Operator.NOT_EQUALS: "is not",
    Operator.IN: "is one of",
    Operator.NOT_IN: "is none of",
    Operator.CONTAINS: "contains",
    Operator.GREATER_THAN: "is more than",
    Operator.GREATER_THAN_OR_EQUAL: "is at least",
    Operator.LESS_THAN: "is less than",
    Operator.LESS_THAN_OR_EQUAL: "is at most",
    Operator.BETWEEN: "is between",
    Operator.IS_SET: "is set",
    Operator.IS_NOT_SET: "is not set",
}

_EQUALITY = (Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN, Operator.NOT_IN, Operator.IS_SET, Operator.IS_NOT_SET)
_RANGE = (
    Operator.GREATER_THAN,
    Operator.GREATER_THAN_OR_EQUAL,
    Operator.LESS_THAN,
    Operator.LESS_THAN_OR_EQUAL,
    Operator.BETWEEN,
)
OPERATORS_BY_KIND = {
    Kind.CHOICE: _EQUALITY,
    Kind.IDENTIFIER: _EQUALITY,
    Kind.CODE: (*_EQUALITY, Operator.CONTAINS),
    Kind.NUMBER: (*_EQUALITY, *_RANGE),
}
NO_VALUES = {Operator.IS_SET, Operator.IS_NOT_SET}
MANY_VALUES = {Operator.IN, Operator.NOT_IN}
TWO_VALUES = {Operator.BETWEEN}


@dataclass(frozen=True)
class Property:
    name: str
    label: str
    kind: Kind
    choices: tuple = ()
    # For identifiers: the model they name, and the field staff know it by.
    names: tuple[type[models.Model], str] | None = None

    @property
    def operators(self) -> tuple[Operator, ...]:
        return OPERATORS_BY_KIND[self.kind]

    @property
    def can_break_down(self) -> bool:
        return self.kind != Kind.NUMBER

    def value_labels(self, values) -> dict:
        """Human names of some of this property's values (a choice's label, a team's name)."""
        if self.kind == Kind.CHOICE:
            return {value: label for value, label in self.choices if value in values}
        if self.names is None:
            return {value: value for value in values if value is not None}
        model, name_field = self.names
        wanted = [value for value in values if value is not None]
        if model is Contact:
            return {str(contact.pk): contact_label(contact) for contact in Contact.objects.filter(pk__in=wanted)}
        return {str(pk): name for pk, name in model.objects.filter(pk__in=wanted).values_list("pk", name_field)}


def contact_label(contact: Contact) -> str:
    return f"{contact} ({contact.code})" if contact.code else str(contact)


PROPERTIES = {
    p.name: p
    for p in (
        Property("CONTACT_ID", "Contact", Kind.IDENTIFIER, names=(Contact, "id")),
        Property("CONTACT_TYPE", "Contact type", Kind.CHOICE, tuple(ContactType.choices)),
        Property("CONTACT_COUNTRY", "Contact's country", Kind.CODE),
        Property("COMMUNICATION_MEDIA", "Media", Kind.CHOICE, tuple(Media.choices)),
        Property("COMMUNICATION_DIRECTION", "Direction", Kind.CHOICE, tuple(Direction.choices)),
        Property("COMMUNICATION_CATEGORY", "Category", Kind.IDENTIFIER, names=(Category, "name")),
        Property("QUEUE_EXTERNAL_SYSTEM", "Queue external system", Kind.IDENTIFIER, names=(ExternalSystem, "name")),
        Property("LETTER_TYPE", "Letter type", Kind.CODE),
        Property("POSTAL_ACCOUNT", "Postal account", Kind.CODE),
        Property("POSTAL_TRANSPORT", "Postal transport", Kind.CHOICE, tuple(Transport.choices)),
        Property("ACTIVITY_TYPE", "Activity type", Kind.IDENTIFIER, names=(ActivityType, "name")),
        Property("ASSIGNED_TEAM", "Assigned team", Kind.IDENTIFIER, names=(Team, "name")),
        Property("ACCOUNT_CURRENCY", "Account currency", Kind.CODE),
        Property("AMOUNT", "Amount", Kind.NUMBER),
    )
}
CONTACT_PROPERTIES = ("CONTACT_ID", "CONTACT_TYPE", "CONTACT_COUNTRY")


@dataclass(frozen=True)
class Event:
    """A business event: a timestamp some record carries, with the contact it concerns."""

    name: str
    label: str
    model: type[models.Model]
    timestamp: str
    record_type: str
    # The path from the event's record to its contact, ending in "__" ("" when the record is the contact).
    contact: str
    own_properties: dict[str, str] = field(default_factory=dict)
    amount: str | None = None
    condition: Q | None = None
    mode: str = "is_test"
    record_id: str = "pk"

    @property
    def properties(self) -> tuple[str, ...]:
        extra = ("AMOUNT",) if self.amount else ()
        return (*CONTACT_PROPERTIES, *self.own_properties, *extra)

    @property
    def contact_id(self) -> str:
        return f"{self.contact}id"

    def expression(self, property_name: str):
        """What a property is on this event's rows: a field path, or a subquery."""
        if property_name == "CONTACT_ID":
            return models.F(self.contact_id)
        if property_name == "CONTACT_TYPE":
            return models.F(f"{self.contact}contact_type")
        if property_name == "CONTACT_COUNTRY":
            # A contact's country is its primary address's (else its first address's), as on its page.
            addresses = Address.objects.filter(contact_id=OuterRef(self.contact_id)).order_by(
                "-is_primary", "address_line_1", "id"
            )
            return Subquery(addresses.values("country_code")[:1], output_field=models.CharField())
        if property_name == "AMOUNT":
            return models.F(self.amount)
        return models.F(self.own_properties[property_name])

    def rows(self):
        rows = self.model._default_manager.all()
        return rows.filter(self.condition) if self.condition is not None else rows


_COMMUNICATION = {
    "COMMUNICATION_MEDIA": "media",
    "COMMUNICATION_DIRECTION": "direction",
    "COMMUNICATION_CATEGORY": "category_id",
    "QUEUE_EXTERNAL_SYSTEM": "queue_external_system_id",
}
_MESSAGE = {"COMMUNICATION_MEDIA": "channel", "COMMUNICATION_CATEGORY": "communication__category_id"}
_QUEUE = {
    "COMMUNICATION_MEDIA": "communication__media",
    "COMMUNICATION_DIRECTION": "communication__direction",
    "COMMUNICATION_CATEGORY": "communication__category_id",
    "QUEUE_EXTERNAL_SYSTEM": "external_system_id",
}
_LETTER = {"LETTER_TYPE": "correspondence_type__name"}
_POSTAL = {"POSTAL_ACCOUNT": "postal_account__code", "POSTAL_TRANSPORT": "transport"}
_ACTIVITY = {"ACTIVITY_TYPE": "type_id", "ASSIGNED_TEAM": "assigned_team_id"}


def _communication(name: str, label: str, timestamp: str) -> Event:
    return Event(name, label, Communication, timestamp, "COMMUNICATION", "contact__", _COMMUNICATION)


def _message(name: str, label: str, timestamp: str) -> Event:
    # A message's contact is its communication's; messages of letters and notifications carry none.
    return Event(name, label, OutboundMessage, timestamp, "OUTBOUND_MESSAGE", "communication__contact__", _MESSAGE)


def _queue(name: str, label: str, timestamp: str) -> Event:
    return Event(name, label, QueueEntry, timestamp, "QUEUE_ENTRY", "communication__contact__", _QUEUE)


def _letter(name: str, label: str, timestamp: str) -> Event:
    return Event(name, label, Correspondence, timestamp, "CORRESPONDENCE", "customer__", _LETTER)


def _postal(name: str, label: str, timestamp: str) -> Event:
    # A postal letter's contact is its postal account's, and its amount the price charged for it.
    return Event(name, label, Letter, timestamp, "POSTAL_LETTER", "postal_account__contact__", _POSTAL, amount="price")


def _activity(name: str, label: str, timestamp: str) -> Event:
    return Event(name, label, Activity, timestamp, "ACTIVITY", "contact__", _ACTIVITY)


_ACCOUNT = {"ACCOUNT_CURRENCY": "currency_code"}

EVENTS = {
    e.name: e
    for e in (
        Event("CONTACT_CREATED", "Contact created", Contact, "created_on", "CONTACT", ""),
        Event("ACCOUNT_CREATED", "Account created", Account, "created_on", "ACCOUNT", "contact__", _ACCOUNT),
        # A termination's amount is the balance it moved to another account.
        Event(
            "ACCOUNT_TERMINATED",
            "Account terminated",
            Account,
            "terminated_on",
            "ACCOUNT",
            "contact__",
            _ACCOUNT,
            amount="transferred_balance",
        ),
        _communication("COMMUNICATION_CREATED", "Communication created", "created_on"),
        _communication("COMMUNICATION_COMPLETED", "Communication completed", "completed_on"),
        _message("MESSAGE_SENT", "Email or SMS sent", "sent_on"),
        _message("MESSAGE_FAILED", "Email or SMS failed", "failed_on"),
        _queue("QUEUE_ENTRY_PROCESSED", "Queue entry processed", "processed_on"),
        _queue("QUEUE_ENTRY_REJECTED", "Queue entry rejected", "rejected_on"),
        _letter("LETTER_CREATED", "Letter created", "created_on"),
        _letter("LETTER_EMAILED", "Letter emailed", "emailed_on"),
        _letter("LETTER_DELIVERED", "Letter delivered", "delivered_on"),
        _postal("POSTAL_LETTER_RECEIVED", "Postal letter received", "received_on"),
        _postal("POSTAL_LETTER_LODGED", "Postal letter lodged", "lodged_on"),
        _postal("POSTAL_LETTER_RETURNED", "Postal letter returned", "returned_on"),
        _activity("ACTIVITY_CREATED", "Activity created", "created_on"),
        _activity("ACTIVITY_COMPLETED", "Activity completed", "completed_on"),
        # Cancelling stamps nothing on the activity; its state history has the date.
        Event(
            "ACTIVITY_CANCELLED",
            "Activity cancelled",
            ActivityStateChange,
            "date",
            "ACTIVITY",
            "activity__contact__",
            {"ACTIVITY_TYPE": "activity__type_id", "ASSIGNED_TEAM": "activity__assigned_team_id"},
            condition=Q(state=ActivityState.CANCELLED),
            mode="activity__is_test",
            record_id="activity_id",
        ),
    )
}


def measurements_of(event: Event) -> tuple[str, ...]:
    if event.amount:
        return tuple(Measurement.values)
    return (Measurement.COUNT, Measurement.UNIQUE_CONTACTS)
