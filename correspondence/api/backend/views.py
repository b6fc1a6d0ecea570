from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.models import Contact
from accounts.selectors import get_by_id
from correspondence import actions as registered_actions
from correspondence import selectors, services
from correspondence.models import Correspondence

from . import fast_read
from . import serializers as s
from .dialect import BackendView, PDFRenderer, UnknownAction
from .filters import CorrespondenceFilterSet


class CorrespondenceView(BackendView):
    """Correspondence: letters to a customer, their PDF, and the email and deliver actions."""

    serializer_class = s.CorrespondenceSerializer
    entity_name = "correspondence"
    filterset_class = CorrespondenceFilterSet

    def get_queryset(self):
        return selectors.correspondence_in_mode(self.is_test)

    def get_object(self) -> Correspondence:
        return get_by_id(self.get_queryset(), self.kwargs["pk"], "correspondence")

    def listing(self, queryset):
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(s.CorrespondenceSerializer(page, many=True).data)

    def written(self, partial: bool = False) -> dict:
        serializer = s.CorrespondenceWriteSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {}
        if "correspondenceType" in data:
            changes["correspondence_type"] = selectors.type_named(data["correspondenceType"])
        if "content" in data:
            changes["content"] = data["content"]
        if "correspondenceNumber" in data:
            changes["number"] = data["correspondenceNumber"]
        if "correspondenceDate" in data:
            changes["correspondence_date"] = data["correspondenceDate"]
        upload = s.AttachmentUploadSerializer()
        changes["attachments"] = [upload.to_new_attachment(item) for item in data.get("attachments", [])]
        return changes

    def fresh(self, correspondence: Correspondence) -> dict:
        return s.CorrespondenceSerializer(self.get_queryset().get(pk=correspondence.pk)).data


class CorrespondenceListView(CorrespondenceView):
    """All correspondence the key's mode can see, newest first."""

    @extend_schema(
        operation_id="listCorrespondence",
        summary="List Correspondence",
        responses={200: s.CorrespondenceSerializer(many=True)},
    )
    def get(self, request):
        return self.listing(self.get_queryset())


class CustomerCorrespondenceView(CorrespondenceView):
    """The correspondence of one customer (a contact); adding one renders its PDF in the background."""

    entity_name = "customer"

    def get_customer(self) -> Contact:
        return get_by_id(Contact.objects.in_mode(self.is_test), self.kwargs["pk"], "customer")

    @extend_schema(
        operation_id="listCustomerCorrespondence",
        summary="List Correspondence of a Customer",
        responses={200: s.CorrespondenceSerializer(many=True)},
    )
    def get(self, request, pk):
        return self.listing(self.get_queryset().filter(customer=self.get_customer()))

    @extend_schema(
        operation_id="addCorrespondence",
        summary="Add Correspondence to a Customer",
        request=s.CorrespondenceWriteSerializer,
        responses={201: s.CorrespondenceSerializer},
    )
    def post(self, request, pk):
        customer = self.get_customer()
        changes = self.written()
        correspondence = services.create_correspondence(customer, **changes)
        return Response(self.fresh(correspondence), status=status.HTTP_201_CREATED)


class CorrespondenceDetailView(CorrespondenceView):
    """One correspondence: read (as JSON or as its PDF), change, delete, or act on it."""

    own_actions = ("deliver", "email")

    @property
    def actions(self) -> tuple[str, ...]:
        return (*self.own_actions, *(action.name for action in registered_actions.registered_actions()))

    def get_renderers(self):
        # Only reading one correspondence may answer with its PDF.
        if self.request.method == "GET":
            return [JSONRenderer(), PDFRenderer()]
        return [JSONRenderer()]

    @extend_schema(
        operation_id="getCorrespondence",
        summary="Retrieve Single Correspondence",
        description="With `Accept: application/pdf`, the PDF letter itself (404107 until it is rendered).",
        responses={
            (200, "application/json"): s.CorrespondenceSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk):
        if request.accepted_renderer.format != PDFRenderer.format:
            return Response(fast_read.read(pk, self.is_test))
        correspondence = self.get_object()
        pdf = selectors.current_pdf(correspondence)
        disposition = f'inline; filename="{correspondence.pdf_filename}"'
        return Response(pdf, headers={"Content-Disposition": disposition})

    @extend_schema(
        operation_id="updateCorrespondence",
        summary="Update Correspondence",
        request=s.CorrespondenceWriteSerializer,
        responses={200: s.CorrespondenceSerializer},
    )
    def patch(self, request, pk):
        correspondence = self.get_object()
        correspondence = services.update_correspondence(correspondence, **self.written(partial=True))
        return Response(self.fresh(correspondence))

    @extend_schema(operation_id="deleteCorrespondence", summary="Delete Correspondence", responses={204: None})
    def delete(self, request, pk):
        services.delete_correspondence(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="correspondenceAction",
        summary="Correspondence Actions",
        description="`deliver` marks it delivered and returns it; `email` sends its PDF and answers success. "
        "Other apps add actions of their own, such as `post` (the PDF as a letter through the mail house).",
        parameters=[
            OpenApiParameter(
                "action",
                str,
                required=True,
                enum=["deliver", "email", *(a.name for a in registered_actions.registered_actions())],
            )
        ],
        request=PolymorphicProxySerializer(
            component_name="CorrespondenceActionRequest",
            serializers=[s.EmailActionSerializer, *(a.request for a in registered_actions.registered_actions())],
            resource_type_field_name=None,
        ),
        responses={
            200: PolymorphicProxySerializer(
                component_name="CorrespondenceActionResult",
                serializers=[
                    s.CorrespondenceSerializer,
                    s.EmailActionResultSerializer,
                    *(a.response for a in registered_actions.registered_actions()),
                ],
                resource_type_field_name=None,
            )
        },
    )
    def post(self, request, pk):
        action = request.query_params.get("action", "")
        correspondence = self.get_object()
        if action not in self.actions:
            raise UnknownAction(
                f"Action {action!r} is not recognised; the actions are: {', '.join(self.actions)}.", field="action"
            )
        self.performing_action = True
        if action not in self.own_actions:
            return self.perform_registered(registered_actions.registered(action), correspondence)
        return getattr(self, f"perform_{action}")(correspondence)

    def perform_registered(self, action, correspondence: Correspondence) -> Response:
        if not self.request.auth.has_scope(action.scope):
            raise PermissionDenied(f"The {action.name} action needs the {action.scope} scope.")
        return Response(action.perform(correspondence, self.request.data, self.request.auth))

    def perform_deliver(self, correspondence: Correspondence) -> Response:
        correspondence = services.mark_delivered(correspondence)
        return Response(self.fresh(correspondence))

    def perform_email(self, correspondence: Correspondence) -> Response:
        serializer = s.EmailActionSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        emails = services.email_correspondence(
            correspondence,
            addresses=data.get("email"),
            attachment_names=data.get("attachments", []),
        )
        addresses = ", ".join(email.email for email in emails)
        message = (
            f"Correspondence {correspondence.number} is queued for email to {addresses}; "
            "its status gains emailed once the mail server accepts it."
        )
        return Response({"success": True, "message": message})
