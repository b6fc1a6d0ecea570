"""communications/* and communications/queue/* of the CRM.COM R-series family. Views resolve identifiers
and call services; the dialect (accounts.api.crm.dialect) wraps every answer and words every error."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from accounts.api.crm.dialect import (
    FIELDS_SET,
    CrmPagination,
    CrmView,
    LatestPagination,
    OlderSizeNamePagination,
    enveloped,
)
from accounts.models import Contact, Group
from accounts.precompiled import by_identifier
from communications import selectors, services
from communications.formatting import parse_date_time
from communications.models import (
    UDF_DATE_FIELDS,
    UDF_FLOAT_FIELDS,
    UDF_STRING_FIELDS,
    Category,
    PrivacyLevel,
    QueueEntry,
    QueueExternalSystem,
    Template,
)

from . import fast_queue, fast_show
from . import identifiers as ids
from . import serializers as s
from .filters import CATEGORY_ALIAS, CommunicationFilterSet, QueueEntryFilterSet, QueueListFilterSet, identifier_help

SCALARS = ("direction", "media", "subject", "content", "to", "notes", *UDF_STRING_FIELDS, *UDF_FLOAT_FIELDS)
RELATED = {
    "template": (ids.TEMPLATE, Template.objects),
    "category": (ids.CATEGORY, Category.objects),
    "queue_external_system": (ids.QUEUE_EXTERNAL_SYSTEM, QueueExternalSystem.objects),
    "owned_by_group": (ids.GROUP, Group.objects),
    "privacy_level": (ids.PRIVACY_LEVEL, PrivacyLevel.objects),
}


# The contact every create names, compiled once per process.
CONTACTS = by_identifier(
    Contact,
    ids.CONTACT.fields.values(),
    lambda is_test, lookup, value: selectors.contacts_with_state().in_mode(is_test).filter(**{lookup: value})[:2],
)


def identifier_parameter(kind: ids.Identifies, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(kind.param, str, required=required, description=identifier_help(kind))


class CommunicationsView(CrmView):
    """What every view of the family shares: identifiers, the fields_set projection, number_of_results/offset."""

    entity_name = "communication"

    def payload(self) -> dict:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        self.fields_set()  # refused before the write, not when answering after it
        return serializer.validated_data

    def query_identifier(self, kind: ids.Identifies):
        return ids.from_query(self.request.query_params.get(kind.param), kind)

    def contact(self, identifier, required=True) -> Contact | None:
        return ids.resolve_with(
            lambda lookup, value: CONTACTS[lookup, bool(self.is_test)].records(value),
            identifier,
            ids.CONTACT,
            required=required,
        )

    def related(self, data: dict, *, given_only: bool) -> dict:
        """Identifier parameters turned into records; with given_only, a null clears the attribute."""
        found = {}
        for attribute, (kind, queryset) in RELATED.items():
            if kind.param not in data:
                continue
            value = data[kind.param]
            if value is None:
                if given_only:
                    found[attribute] = None
                continue
            found[attribute] = ids.resolve(queryset, value, kind)
        return found


def _scalars(data: dict) -> dict:
    values = {name: data[name] for name in SCALARS if name in data}
    values |= {name: data[name] for name in UDF_DATE_FIELDS if name in data}
    return values


def _referring_to(data: dict):
    return data.get("referring_to") if "referring_to" in data else None


# Communications ----------------------------------------------------------------------------------


class CommunicationShowView(CommunicationsView):
    @extend_schema(
        operation_id="crmCommunicationsShow",
        summary="Show a communication",
        parameters=[identifier_parameter(ids.COMMUNICATION, required=True), FIELDS_SET],
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationResult")},
    )
    def get(self, request):
        return self.answer_data(fast_show.show(self.query_identifier(ids.COMMUNICATION), self.is_test))


class CommunicationListView(CommunicationsView):
    filterset_class = CommunicationFilterSet
    pagination_class = CrmPagination

    def get_queryset(self):
        return selectors.list_communications(self.is_test)

    @extend_schema(
        operation_id="crmCommunicationsList",
        summary="List communications",
        description="At least one of contact_information_identifier and category_identifier is required.",
        # The other name of category_identifier, which CommunicationFilterSet reads with it.
        parameters=[identifier_parameter(CATEGORY_ALIAS), FIELDS_SET],
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationList", many=True)},
    )
    def get(self, request):
        communications = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.answer(s.CommunicationSerializer, communications, many=True)


class CommunicationCreateView(CommunicationsView):
    serializer_class = s.CommunicationCreateSerializer

    @extend_schema(
        operation_id="crmCommunicationsCreate",
        summary="Create a communication",
        request=s.CommunicationCreateSerializer,
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationCreated")},
    )
    def post(self, request):
        data = self.payload()
        communication = services.create_communication(
            is_test=self.is_test,
            contact=self.contact(data["contact_information_identifier"]),
            state=data.get("life_cycle_state", "COMPLETED"),
            referring_to=data.get("referring_to"),
            parameters=data.get("unrestricted_parameter_set", []),
            **self.related(data, given_only=False),
            **_scalars(data),
        )
        # Everything it shows is in hand already: reading it back costs more than the create itself.
        return self.answer_data(fast_show.shown(communication))


class CommunicationUpdateView(CommunicationsView):
    serializer_class = s.CommunicationUpdateSerializer

    @extend_schema(
        operation_id="crmCommunicationsUpdate",
        summary="Update a draft communication",
        description="Fields not given stay as they are; fields given as null are emptied.",
        request=s.CommunicationUpdateSerializer,
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationUpdated")},
    )
    def post(self, request):
        data = self.payload()
        communication = ids.resolve(
            selectors.communications(self.is_test), data["communication_identifier"], ids.COMMUNICATION
        )
        changes = _scalars(data) | self.related(data, given_only=True)
        if "life_cycle_state" in data:
            changes["state"] = data["life_cycle_state"]
        services.update_communication(
            communication,
            changes=changes,
            parameter_actions=data.get("unrestricted_parameter_set", []),
            referring_to=_referring_to(data),
        )
        return self.answer(s.CommunicationSerializer, selectors.communications(self.is_test).get(pk=communication.pk))


class CommunicationCompleteView(CommunicationsView):
    serializer_class = s.CommunicationActionSerializer

    @extend_schema(
        operation_id="crmCommunicationsComplete",
        summary="Complete a draft communication",
        request=s.CommunicationActionSerializer,
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationCompleted")},
    )
    def post(self, request):
        data = self.payload()
        communication = ids.resolve(
            selectors.communications(self.is_test), data["communication_identifier"], ids.COMMUNICATION
        )
        services.complete_communication(communication)
        return self.answer(s.CommunicationSerializer, selectors.communications(self.is_test).get(pk=communication.pk))


class CommunicationSetAsViewedView(CommunicationsView):
    serializer_class = s.SetAsViewedSerializer

    @extend_schema(
        operation_id="crmCommunicationsSetAsViewed",
        summary="Set a completed communication as viewed",
        request=s.SetAsViewedSerializer,
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationViewed")},
    )
    def post(self, request):
        data = self.payload()
        communication = ids.resolve(
            selectors.communications(self.is_test), data["communication_identifier"], ids.COMMUNICATION
        )
        services.set_as_viewed(communication, viewed_on=parse_date_time(data.get("viewed_on"), "viewed_on"))
        return self.answer(s.CommunicationSerializer, selectors.communications(self.is_test).get(pk=communication.pk))


# The communication queue -------------------------------------------------------------------------


class QueueView(CommunicationsView):
    entity_name = "communication queue entry"

    def find(self, identifier) -> dict:
        return fast_queue.find(identifier, self.is_test)

    def action_body(self) -> dict:
        """The body of a process or remove, by the plain path when it is plain, else as the serializer checks it."""
        data = fast_queue.plain_action(self.request.data)
        if data is None:
            return self.payload()
        self.fields_set()
        return data

    def answer_changed(self, row: dict, entry: QueueEntry) -> Response:
        return self.answer_data(fast_queue.changed(row, entry))

    def listing(self) -> Response:
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.answer_data(fast_queue.entries(rows), many=True)


class QueueShowView(QueueView):
    @extend_schema(
        operation_id="crmCommunicationQueueShow",
        summary="Show a communication queue entry",
        parameters=[identifier_parameter(ids.QUEUE_ENTRY, required=True), FIELDS_SET],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryResult")},
    )
    def get(self, request):
        return self.answer_data(fast_queue.entries([self.find(self.query_identifier(ids.QUEUE_ENTRY))])[0])


class QueueListView(QueueView):
    filterset_class = QueueListFilterSet
    pagination_class = CrmPagination

    def get_queryset(self):
        return fast_queue.rows(selectors.list_queue_entries, self.is_test)

    @extend_schema(
        operation_id="crmCommunicationQueueList",
        summary="List communication queue entries",
        description="Exactly one of communication_queue_external_system_identifier and media is required.",
        parameters=[FIELDS_SET],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryList", many=True)},
    )
    def get(self, request):
        return self.listing()


class QueueGetLatestView(QueueView):
    filterset_class = QueueEntryFilterSet
    pagination_class = LatestPagination

    def get_queryset(self):
        return fast_queue.rows(selectors.latest_pending, self.is_test)

    @extend_schema(
        operation_id="crmCommunicationQueueGetLatest",
        summary="The latest pending queue entries",
        description="Newest first. Reading does not claim: process, reject or remove decide who handled an entry.",
        parameters=[FIELDS_SET],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryLatest", many=True)},
    )
    def get(self, request):
        return self.listing()


class QueueGetPendingCompletedView(QueueView):
    filterset_class = QueueEntryFilterSet
    pagination_class = OlderSizeNamePagination

    def get_queryset(self):
        return fast_queue.rows(selectors.pending_and_completed, self.is_test)

    @extend_schema(
        operation_id="crmCommunicationQueueGetPendingCompleted",
        summary="The latest pending and completed queue entries",
        description="Newest first. `number` is accepted as the pre-R13 name of number_of_results.",
        parameters=[FIELDS_SET],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryPendingCompleted", many=True)},
    )
    def get(self, request):
        return self.listing()


class QueueProcessView(QueueView):
    serializer_class = s.QueueActionSerializer

    @extend_schema(
        operation_id="crmCommunicationQueueProcess",
        summary="Set a pending queue entry as processed (COMPLETED)",
        request=s.QueueActionSerializer,
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryProcessed")},
    )
    def post(self, request):
        row = self.find(self.action_body()["communication_queue_identifier"])
        return self.answer_changed(row, services.process_entry(fast_queue.record(row)))


class QueueRejectView(QueueView):
    serializer_class = s.QueueRejectSerializer

    @extend_schema(
        operation_id="crmCommunicationQueueReject",
        summary="Reject a pending queue entry",
        request=s.QueueRejectSerializer,
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryRejected")},
    )
    def post(self, request):
        data = self.payload()
        row = self.find(data["communication_queue_identifier"])
        entry = services.reject_entry(
            fast_queue.record(row), error_code=data["error_code"], error_description=data["error_description"]
        )
        return self.answer_changed(row, entry)


class QueueRemoveView(QueueView):
    serializer_class = s.QueueActionSerializer

    @extend_schema(
        operation_id="crmCommunicationQueueRemove",
        summary="Set a pending or completed queue entry as completed and removed",
        request=s.QueueActionSerializer,
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryRemoved")},
    )
    def post(self, request):
        row = self.find(self.action_body()["communication_queue_identifier"])
        return self.answer_changed(row, services.remove_entry(fast_queue.record(row)))
