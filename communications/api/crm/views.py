"""communications/* and communications/queue/* of the CRM.COM R-series family. Views resolve identifiers
and call services; the dialect (accounts.api.crm.dialect) wraps every answer and words every error."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from accounts.api.crm.dialect import CrmView, enveloped
from accounts.errors import InvalidValue, MissingValue
from accounts.models import Contact, Group
from communications import selectors, services
from communications.formatting import parse_date_time
from communications.models import (
    UDF_DATE_FIELDS,
    UDF_FLOAT_FIELDS,
    UDF_STRING_FIELDS,
    Category,
    Media,
    PrivacyLevel,
    QueueExternalSystem,
    QueueState,
    Template,
)

from . import identifiers as ids
from . import serializers as s

DEFAULT_RESULTS = 100
MAX_RESULTS = 1000
MAX_OFFSET = 1_000_000_000
SCALARS = ("direction", "media", "subject", "content", "to", "notes", *UDF_STRING_FIELDS, *UDF_FLOAT_FIELDS)
RELATED = {
    "template": (ids.TEMPLATE, Template.objects),
    "category": (ids.CATEGORY, Category.objects),
    "queue_external_system": (ids.QUEUE_EXTERNAL_SYSTEM, QueueExternalSystem.objects),
    "owned_by_group": (ids.GROUP, Group.objects),
    "privacy_level": (ids.PRIVACY_LEVEL, PrivacyLevel.objects),
}


def identifier_parameter(kind: ids.Identifies, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        kind.param,
        str,
        required=required,
        description=f"<field>=<value>, field one of {kind.describe()} (e.g. {kind.param}=number=CM000680).",
    )


# The document names this parameter only in words ("Communication category Identifier"); both spellings work.
CATEGORY_ALIAS = ids.Identifies("category", "communication_category_identifier", ids.CATEGORY.fields)
FIELDS_SET = OpenApiParameter("fields_set", str, description="Comma-separated top-level fields to return.")
PAGING = [
    OpenApiParameter(
        "number_of_results", int, description=f"At most this many (default {DEFAULT_RESULTS}, max {MAX_RESULTS})."
    ),
    OpenApiParameter("offset", int, description="Skip this many results (default 0)."),
]
MEDIA = OpenApiParameter(
    "media", str, enum=Media.values, description="Semi-optional: EMAIL, SMS, PHONE, LETTER, FACE_TO_FACE."
)


class CommunicationsView(CrmView):
    """What every view of the family shares: identifiers, the fields_set projection, number_of_results/offset."""

    entity_name = "communication"

    def payload(self) -> dict:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def query_identifier(self, kind: ids.Identifies):
        return ids.from_query(self.request.query_params.get(kind.param), kind)

    def contact(self, identifier, required=True) -> Contact | None:
        contacts = selectors.contacts_with_state().in_mode(self.is_test)
        return ids.resolve(contacts, identifier, ids.CONTACT, required=required)

    def fields_set(self) -> list[str]:
        raw = self.request.query_params.get("fields_set")
        if raw is None and self.request.method == "POST" and hasattr(self.request.data, "get"):
            raw = self.request.data.get("fields_set")
        if isinstance(raw, list):
            raw = ",".join(str(item) for item in raw)
        return [name.strip() for name in (raw or "").split(",") if name.strip()]

    def answer(self, serializer_class, instance, many=False) -> Response:
        data = serializer_class(instance, many=many).data
        wanted = self.fields_set()
        if wanted:
            # Names that are not top-level fields are ignored, as the seed's create example shows.
            keep = set(wanted)
            data = [_project(item, keep) for item in data] if many else _project(data, keep)
        return Response(data)

    def count_param(self, name: str, default: int | None, *, minimum: int) -> int | None:
        raw = self.request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            raise InvalidValue(f"{name} must be a whole number.", field=name) from None
        if value < minimum:
            raise InvalidValue(f"{name} must be {minimum} or more.", field=name)
        ceiling = MAX_OFFSET if name == "offset" else MAX_RESULTS
        if value > ceiling:
            raise InvalidValue(f"{name} may be at most {ceiling}.", field=name)
        return value

    def page(self, queryset, *, size_param="number_of_results"):
        size = self.count_param(size_param, DEFAULT_RESULTS, minimum=1)
        offset = self.count_param("offset", 0, minimum=0)
        return list(queryset[offset : offset + size])

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


def _project(item: dict, keep: set) -> dict:
    return {key: value for key, value in item.items() if key in keep}


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
        communication = ids.resolve(
            selectors.communications(self.is_test), self.query_identifier(ids.COMMUNICATION), ids.COMMUNICATION
        )
        return self.answer(s.CommunicationSerializer, communication)


class CommunicationListView(CommunicationsView):
    @extend_schema(
        operation_id="crmCommunicationsList",
        summary="List communications",
        description="At least one of contact_information_identifier and category_identifier is required.",
        parameters=[
            identifier_parameter(ids.CONTACT),
            identifier_parameter(ids.CATEGORY),
            identifier_parameter(CATEGORY_ALIAS),
            OpenApiParameter("direction", str, enum=["INCOMING", "OUTGOING"]),
            OpenApiParameter("media", str, enum=Media.values),
            *PAGING,
            FIELDS_SET,
        ],
        responses={200: enveloped(s.CommunicationSerializer, "CrmCommunicationList", many=True)},
    )
    def get(self, request):
        contact_id = self.query_identifier(ids.CONTACT)
        category_id = self.query_identifier(ids.CATEGORY) or self.query_identifier(CATEGORY_ALIAS)
        if contact_id is None and category_id is None:
            raise MissingValue(
                "contact_information_identifier",
                "Give contact_information_identifier, category_identifier, or both.",
            )
        direction = request.query_params.get("direction") or None
        media = request.query_params.get("media") or None
        if direction and direction not in ("INCOMING", "OUTGOING"):
            raise InvalidValue("direction accepts INCOMING or OUTGOING.", field="direction")
        if media and media not in Media.values:
            raise InvalidValue(f"media accepts {', '.join(Media.values)}.", field="media")
        queryset = selectors.list_communications(
            self.is_test,
            contact=self.contact(contact_id, required=False),
            category=ids.resolve(Category.objects, category_id, ids.CATEGORY, required=False),
            direction=direction,
            media=media,
        )
        return self.answer(s.CommunicationSerializer, self.page(queryset), many=True)


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
            by=request.auth,
            **self.related(data, given_only=False),
            **_scalars(data),
        )
        # Everything it shows is in hand already: reading it back costs more than the create itself.
        return self.answer(s.CommunicationSerializer, communication)


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
            changes["life_cycle_state"] = data["life_cycle_state"]
        services.update_communication(
            communication,
            changes=changes,
            parameter_actions=data.get("unrestricted_parameter_set", []),
            referring_to=_referring_to(data),
            by=request.auth,
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
        services.complete_communication(communication, by=request.auth)
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
        services.set_as_viewed(
            communication, viewed_on=parse_date_time(data.get("viewed_on"), "viewed_on"), by=request.auth
        )
        return self.answer(s.CommunicationSerializer, selectors.communications(self.is_test).get(pk=communication.pk))


# The communication queue -------------------------------------------------------------------------

QUEUE_FILTERS = [identifier_parameter(ids.QUEUE_EXTERNAL_SYSTEM), MEDIA, identifier_parameter(ids.CONTACT)]


class QueueView(CommunicationsView):
    entity_name = "communication queue entry"

    def queue_filters(self) -> dict:
        """The semi-optional pair (external system or media, exactly one) and the optional contact."""
        system_id = self.query_identifier(ids.QUEUE_EXTERNAL_SYSTEM)
        media = self.request.query_params.get("media") or None
        if system_id is None and media is None:
            raise MissingValue(
                ids.QUEUE_EXTERNAL_SYSTEM.param,
                f"Give {ids.QUEUE_EXTERNAL_SYSTEM.param} or media.",
            )
        if system_id is not None and media is not None:
            raise InvalidValue(
                f"Give {ids.QUEUE_EXTERNAL_SYSTEM.param} or media, not both.", field=ids.QUEUE_EXTERNAL_SYSTEM.param
            )
        if media is not None and media not in Media.values:
            raise InvalidValue(f"media accepts {', '.join(Media.values)}.", field="media")
        return {
            "external_system": ids.resolve(
                QueueExternalSystem.objects, system_id, ids.QUEUE_EXTERNAL_SYSTEM, required=False
            ),
            "media": media,
            "contact": self.contact(self.query_identifier(ids.CONTACT), required=False),
        }

    def entry(self, identifier):
        return ids.resolve(selectors.queue_entries(self.is_test), identifier, ids.QUEUE_ENTRY)

    def answer_entry(self, entry) -> Response:
        # The services set what they changed on the entry they were given, so it is answered as it is now.
        return self.answer(s.QueueEntrySerializer, entry)


class QueueShowView(QueueView):
    @extend_schema(
        operation_id="crmCommunicationQueueShow",
        summary="Show a communication queue entry",
        parameters=[identifier_parameter(ids.QUEUE_ENTRY, required=True), FIELDS_SET],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryResult")},
    )
    def get(self, request):
        return self.answer(s.QueueEntrySerializer, self.entry(self.query_identifier(ids.QUEUE_ENTRY)))


class QueueListView(QueueView):
    @extend_schema(
        operation_id="crmCommunicationQueueList",
        summary="List communication queue entries",
        description="Exactly one of communication_queue_external_system_identifier and media is required.",
        parameters=[
            *QUEUE_FILTERS,
            OpenApiParameter("life_cycle_state", str, enum=QueueState.values),
            *PAGING,
            FIELDS_SET,
        ],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryList", many=True)},
    )
    def get(self, request):
        filters = self.queue_filters()
        state = request.query_params.get("life_cycle_state") or None
        if state is not None and state not in QueueState.values:
            raise InvalidValue(f"life_cycle_state accepts {', '.join(QueueState.values)}.", field="life_cycle_state")
        queryset = selectors.list_queue_entries(self.is_test, states=[state] if state else None, **filters)
        return self.answer(s.QueueEntrySerializer, self.page(queryset), many=True)


class QueueGetLatestView(QueueView):
    @extend_schema(
        operation_id="crmCommunicationQueueGetLatest",
        summary="The latest pending queue entries",
        description="Newest first. Reading does not claim: process, reject or remove decide who handled an entry.",
        parameters=[
            *QUEUE_FILTERS,
            OpenApiParameter("number", int, required=True, description=f"How many (1 to {MAX_RESULTS})."),
            FIELDS_SET,
        ],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryLatest", many=True)},
    )
    def get(self, request):
        filters = self.queue_filters()
        number = self.count_param("number", None, minimum=1)
        if number is None:
            raise MissingValue("number")
        entries = list(selectors.latest_pending(self.is_test, **filters)[:number])
        return self.answer(s.QueueEntrySerializer, entries, many=True)


class QueueGetPendingCompletedView(QueueView):
    @extend_schema(
        operation_id="crmCommunicationQueueGetPendingCompleted",
        summary="The latest pending and completed queue entries",
        description="Newest first. `number` is accepted as the pre-R13 name of number_of_results.",
        parameters=[*QUEUE_FILTERS, *PAGING, OpenApiParameter("number", int), FIELDS_SET],
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryPendingCompleted", many=True)},
    )
    def get(self, request):
        filters = self.queue_filters()
        queryset = selectors.pending_and_completed(self.is_test, **filters)
        size_param = "number" if "number_of_results" not in request.query_params else "number_of_results"
        return self.answer(s.QueueEntrySerializer, self.page(queryset, size_param=size_param), many=True)


class QueueProcessView(QueueView):
    serializer_class = s.QueueActionSerializer

    @extend_schema(
        operation_id="crmCommunicationQueueProcess",
        summary="Set a pending queue entry as processed (COMPLETED)",
        request=s.QueueActionSerializer,
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryProcessed")},
    )
    def post(self, request):
        data = self.payload()
        entry = services.process_entry(self.entry(data["communication_queue_identifier"]), by=request.auth)
        return self.answer_entry(entry)


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
        entry = services.reject_entry(
            self.entry(data["communication_queue_identifier"]),
            error_code=data["error_code"],
            error_description=data["error_description"],
            by=request.auth,
        )
        return self.answer_entry(entry)


class QueueRemoveView(QueueView):
    serializer_class = s.QueueActionSerializer

    @extend_schema(
        operation_id="crmCommunicationQueueRemove",
        summary="Set a pending or completed queue entry as completed and removed",
        request=s.QueueActionSerializer,
        responses={200: enveloped(s.QueueEntrySerializer, "CrmQueueEntryRemoved")},
    )
    def post(self, request):
        data = self.payload()
        entry = services.remove_entry(self.entry(data["communication_queue_identifier"]), by=request.auth)
        return self.answer_entry(entry)
