"""The list filters of communications/list and the communication queue's lists, one FilterSet per model.

Records are named as CRM.COM identifies them (`contact_information_identifier=code=C123`). Each parameter is read
in the order declared and the first refused is answered; the records named are looked up once every parameter is
read. The seed's restriction on semi-optional parameters is checked as soon as they are read.
"""

import django_filters
from django import forms

from accounts.api.crm.dialect import ChoiceValueFilter
from accounts.api.parsers import QueryFilterSet, QueryForm
from accounts.errors import InvalidValue, MissingValue
from accounts.modes import request_is_test
from communications import selectors
from communications.models import Category, Communication, Media, QueueEntry, QueueExternalSystem, QueueState

from . import identifiers as ids

# The document names this parameter only in words ("Communication category Identifier"); both spellings work.
CATEGORY_ALIAS = ids.Identifies("category", "communication_category_identifier", ids.CATEGORY.fields)


def identifier_help(kind: ids.Identifies) -> str:
    return f"<field>=<value>, field one of {kind.describe()} (e.g. {kind.param}=number=CM000680)."


class NamesWidget(forms.Widget):
    """Reads a parameter under each of its names."""

    def __init__(self, names):
        super().__init__()
        self.names = names

    def value_from_datadict(self, data, files, name):
        return [data.get(each) for each in self.names]


class IdentifierField(forms.Field):
    def __init__(self, *, kinds, **kwargs):
        super().__init__(widget=NamesWidget([kind.param for kind in kinds]), **kwargs)
        self.kinds = kinds

    def to_python(self, raws):
        # Under its first name, else the next: a name given empty, or as `{}`, counts as not given.
        identifier = None
        for kind, raw in zip(self.kinds, raws, strict=True):
            identifier = ids.from_query(raw, kind)
            if identifier:
                break
        return identifier


class IdentifierFilter(django_filters.CharFilter):
    """The record an identifier names among `records(request)`; `also` lists other names of the parameter."""

    field_class = IdentifierField

    def __init__(self, kind: ids.Identifies, records, *, also=(), **kwargs):
        super().__init__(kinds=(kind, *also), help_text=identifier_help(kind), **kwargs)
        self.kind, self.records = kind, records

    def filter(self, qs, value):
        if value is None:
            return qs
        record = ids.resolve(self.records(self.parent.request), value, self.kind)
        return qs.filter(**{self.field_name: record})


def contacts(request):
    return selectors.contacts_with_state().in_mode(request_is_test(request))


class CommunicationQueryForm(QueryForm):
    def clean_category_identifier(self):
        category = self.cleaned_data["category_identifier"]
        if self.cleaned_data.get(ids.CONTACT.param) is None and category is None:
            raise MissingValue(ids.CONTACT.param, "Give contact_information_identifier, category_identifier, or both.")
        return category


class CommunicationFilterSet(QueryFilterSet):
    contact_information_identifier = IdentifierFilter(ids.CONTACT, contacts, field_name="contact")
    category_identifier = IdentifierFilter(
        ids.CATEGORY, lambda request: Category.objects, also=[CATEGORY_ALIAS], field_name="category"
    )
    direction = ChoiceValueFilter(["INCOMING", "OUTGOING"])
    media = ChoiceValueFilter(Media.values)

    class Meta:
        model = Communication
        fields = []
        form = CommunicationQueryForm


SYSTEM = ids.QUEUE_EXTERNAL_SYSTEM.param


class QueueQueryForm(QueryForm):
    def clean_communication_queue_external_system_identifier(self):
        system = self.cleaned_data[SYSTEM]
        media_given = bool(self.data.get("media"))
        if system is None and not media_given:
            raise MissingValue(SYSTEM, f"Give {SYSTEM} or media.")
        if system is not None and media_given:
            raise InvalidValue(f"Give {SYSTEM} or media, not both.", field=SYSTEM)
        return system


class QueueEntryFilterSet(QueryFilterSet):
    communication_queue_external_system_identifier = IdentifierFilter(
        ids.QUEUE_EXTERNAL_SYSTEM, lambda request: QueueExternalSystem.objects, field_name="external_system"
    )
    media = ChoiceValueFilter(
        Media.values,
        field_name="communication__media",
        help_text="Semi-optional: EMAIL, SMS, PHONE, LETTER, FACE_TO_FACE.",
    )
    contact_information_identifier = IdentifierFilter(ids.CONTACT, contacts, field_name="communication__contact")

    class Meta:
        model = QueueEntry
        fields = []
        form = QueueQueryForm


class QueueListFilterSet(QueueEntryFilterSet):
    """queue/list also filters by life cycle state (get_latest and get_pending_completed fix theirs)."""

    life_cycle_state = ChoiceValueFilter(QueueState.values, field_name="state")
