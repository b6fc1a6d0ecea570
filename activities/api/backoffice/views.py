from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.backoffice.dialect import BackofficeView, option
from accounts.api.backoffice.serializers import IdSerializer
from accounts.models import Address, Lead, Order, ServiceRequest, Team
from accounts.selectors import get_by_id, get_optional, get_user
from activities import selectors, services
from activities.models import Activity, ActivityType, LinkType, Tag

from . import fast_list
from . import serializers as s
from .filters import ActivityFilterSet

LINKED = {
    LinkType.LEAD: (Lead, "lead"),
    LinkType.SERVICE_REQUEST: (ServiceRequest, "service_request"),
    LinkType.ORDER: (Order, "order"),
}
ACTIVITY_SORTS = {
    "CREATED_DATE": "created_on",
    "UPDATED_DATE": "updated_on",
    "NAME": "name",
    "SCHEDULED_DATE": "scheduled_from",
}


class ActivityView(BackofficeView):
    queryset = Activity.objects.all()
    entity_name = "activity"

    def get_object(self) -> Activity:
        return get_by_id(self.get_queryset(), self.kwargs["pk"], "activity")

    def activity_type(self, identifier) -> ActivityType:
        return get_by_id(ActivityType.objects.in_mode(self.is_test), identifier, "activity_type")

    def address(self, identifier) -> Address | None:
        return get_optional(Address.objects.filter(contact__is_test=self.is_test), identifier, "address")

    def assignment(self, assign_to: dict | None) -> dict:
        assign_to = assign_to or {}
        user_id = assign_to.get("user_id")
        return {
            "assigned_user": get_user(user_id) if user_id is not None else None,
            "assigned_team": get_optional(Team.objects.all(), assign_to.get("team_id"), "team"),
        }

    def linked(self, links: list[dict]) -> services.Linked | None:
        """The lead, service request or order `linked_to` names besides the contact, by its id."""
        other = next((link for link in links if link["type"] != s.CONTACT), None)
        if other is None:
            return None
        model, entity = LINKED[other["type"]]
        return get_by_id(model.objects.in_mode(self.is_test), other["id"], entity)


class ActivityListView(ActivityView):
    serializer_class = s.ActivityListItemSerializer
    filterset_class = ActivityFilterSet
    sort_fields = ACTIVITY_SORTS

    @extend_schema(
        operation_id="listActivities",
        summary="List Activities",
        parameters=[
            OpenApiParameter("include_tags", bool, description="Add each activity's tags (default false)."),
            OpenApiParameter(
                "include_custom_fields", bool, description="Add each activity's custom fields (default false)."
            ),
        ],
        responses={200: s.ActivityListItemSerializer(many=True)},
    )
    def get(self, request):
        answered = fast_list.answer(self, request)
        if answered is not None:
            return answered
        options = {name: option(request, name) for name in ("include_tags", "include_custom_fields")}
        listed = selectors.activities(
            self.is_test, tags=options["include_tags"], custom_fields=options["include_custom_fields"]
        )
        page = self.paginate_queryset(self.filter_queryset(listed))
        return self.get_paginated_response(s.ActivityListItemSerializer(page, many=True, context=options).data)

    @extend_schema(
        operation_id="createActivity",
        summary="Create Activity",
        request=s.ActivityCreateSerializer,
        responses={201: IdSerializer},
    )
    def post(self, request):
        data = self.valid(s.ActivityCreateSerializer)
        links = data["linked_to"]
        contact_link = next(link for link in links if link["type"] == s.CONTACT)
        schedule = data["scheduled_on"]
        activity = services.create_activity(
            is_test=self.is_test,
            name=data["name"],
            description=data.get("description"),
            type=self.activity_type(data["type_id"]),
            contact=self.contact(contact_link["id"]),
            address=self.address(data.get("address_id")),
            use_entity_address=bool(data.get("use_entity_address")),
            scheduled_from=schedule["from_date"],
            scheduled_to=schedule.get("to_date"),
            linked=self.linked(links),
            custom_fields=data.get("custom_fields"),
            **self.assignment(data.get("assign_to")),
        )
        return Response({"id": str(activity.id)}, status=status.HTTP_201_CREATED)


class ActivityDetailView(ActivityView):
    serializer_class = s.ActivityDetailSerializer

    @extend_schema(operation_id="getActivity", summary="Get Activity", responses={200: s.ActivityDetailSerializer})
    def get(self, request, pk):
        activity = get_by_id(selectors.activity_details(self.is_test), pk, "activity")
        return Response(s.ActivityDetailSerializer(activity).data)

    @extend_schema(
        operation_id="updateActivity",
        summary="Update Activity",
        request=s.ActivityUpdateSerializer,
        responses={200: IdSerializer},
    )
    def put(self, request, pk):
        activity = self.get_object()
        data = self.valid(s.ActivityUpdateSerializer)
        changes = {}
        if data.get("name") is not None:
            changes["name"] = data["name"]
        if "description" in data:
            changes["description"] = data["description"]
        if data.get("type_id") is not None:
            changes["type"] = self.activity_type(data["type_id"])
        if "address_id" in data:
            changes["address"] = self.address(data["address_id"])
        if data.get("scheduled_on") is not None:
            changes["scheduled_from"] = data["scheduled_on"]["from_date"]
            changes["scheduled_to"] = data["scheduled_on"].get("to_date")
        if "assign_to" in data:
            changes.update(self.assignment(data["assign_to"]))
        if data.get("linked_to") is not None:
            links = data["linked_to"]
            changes["linked"] = self.linked(links)
            contact_link = next((link for link in links if link["type"] == s.CONTACT), None)
            if contact_link is not None:
                changes["contact"] = self.contact(contact_link["id"])
        if "custom_fields" in data:
            changes["custom_fields"] = data["custom_fields"] or {}
        services.update_activity(
            activity,
            state=data.get("state"),
            use_entity_address=bool(data.get("use_entity_address")),
            **changes,
        )
        return Response({"id": str(activity.id)})

    @extend_schema(operation_id="deleteActivity", summary="Delete Activity", responses={204: None})
    def delete(self, request, pk):
        services.delete_activity(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityTagsView(ActivityView):
    serializer_class = s.TagSerializer

    @extend_schema(operation_id="getActivityTags", summary="Get Activity Tags", responses={200: s.TagListSerializer})
    def get(self, request, pk):
        activity = self.get_object()
        return Response({"content": s.TagSerializer(activity.tags.all(), many=True).data})

    @extend_schema(
        operation_id="updateActivityTags",
        summary="Update Activity Tags",
        request=s.TagsUpdateSerializer,
        responses={200: IdSerializer},
    )
    def put(self, request, pk):
        activity = self.get_object()
        data = self.valid(s.TagsUpdateSerializer)
        tags_in_mode = Tag.objects.in_mode(self.is_test)
        tags = [get_by_id(tags_in_mode, identifier, "tag") for identifier in dict.fromkeys(data["tags"])]
        services.set_activity_tags(activity, tags)
        return Response({"id": str(activity.id)})


class ActivityTypeListView(BackofficeView):
    queryset = ActivityType.objects.all()
    serializer_class = s.ActivityTypeSerializer
    entity_name = "activity_type"

    @extend_schema(
        operation_id="listActivityTypes",
        summary="List Activity Types",
        responses={200: s.ActivityTypeSerializer(many=True)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("name", "id"))
        return self.get_paginated_response(s.ActivityTypeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="createActivityType",
        summary="Create Activity Type",
        request=s.ActivityTypeSerializer,
        responses={201: IdSerializer},
    )
    def post(self, request):
        data = self.valid(s.ActivityTypeSerializer)
        activity_type = services.create_activity_type(is_test=self.is_test, **data)
        return Response({"id": str(activity_type.id)}, status=status.HTTP_201_CREATED)


class TagListView(BackofficeView):
    queryset = Tag.objects.all()
    serializer_class = s.TagSerializer
    entity_name = "tag"

    @extend_schema(operation_id="listTags", summary="List Tags", responses={200: s.TagSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("name", "id"))
        return self.get_paginated_response(s.TagSerializer(page, many=True).data)

    @extend_schema(
        operation_id="createTag", summary="Create Tag", request=s.TagSerializer, responses={201: IdSerializer}
    )
    def post(self, request):
        data = self.valid(s.TagSerializer)
        tag = services.create_tag(is_test=self.is_test, **data)
        return Response({"id": str(tag.id)}, status=status.HTTP_201_CREATED)
