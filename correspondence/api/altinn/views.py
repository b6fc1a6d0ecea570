from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from correspondence import selectors, services
from correspondence.models import DispatchedCorrespondence

from . import serializers as s
from .dialect import (
    AltinnPagination,
    AltinnView,
    BinaryRenderer,
    OctetStreamParser,
    ProblemDetailsSerializer,
    upload_stream,
)
from .filters import DispatchedCorrespondenceFilterSet

# --- Attachments ----------------------------------------------------------------------------------------------------


class AttachmentView(AltinnView):
    entity_name = "attachment"

    def get_attachment(self):
        return selectors.shared_attachment(self.sender, self.kwargs["attachment_id"])


class InitializeAttachmentView(AttachmentView):
    serializer_class = s.InitializeAttachmentSerializer

    @extend_schema(
        operation_id="initializeAttachment",
        summary="Initialize an attachment to share in correspondences",
        request=s.InitializeAttachmentSerializer,
        responses={200: OpenApiTypes.UUID},
    )
    def post(self, request):
        data = self.valid(s.InitializeAttachmentSerializer)
        attachment = services.initialize_attachment(
            sender=self.sender,
            file_name=data["fileName"],
            display_name=data.get("displayName") or data.get("name") or "",
            senders_reference=data["sendersReference"],
            checksum=data.get("checksum", ""),
            is_encrypted=data["isEncrypted"],
            resource_id=data.get("resourceId", ""),
        )
        return Response(str(attachment.id))


class AttachmentOverviewView(AttachmentView):
    serializer_class = s.AttachmentOverviewSerializer

    @extend_schema(
        operation_id="getAttachmentOverview",
        summary="An attachment and its status",
        responses={200: s.AttachmentOverviewSerializer},
    )
    def get(self, request, attachment_id):
        return Response(s.AttachmentOverviewSerializer(self.get_attachment()).data)

    @extend_schema(
        operation_id="deleteAttachment",
        summary="Delete (purge) a shared attachment no live correspondence carries",
        description="Answers 204 with no body, as Altinn does. Refused (2007) while a correspondence that is not "
        "purged carries it, and (2006) once it is purged.",
        responses={204: None},
    )
    def delete(self, request, attachment_id):
        services.purge_attachment(self.get_attachment())
        return Response(status=204)


DETAILS_EXAMPLE = OpenApiExample(
    "A published attachment",
    response_only=True,
    value={
        "attachmentId": "0f9c4a2e-6a53-4d1e-9a57-5d3c1f0e2b7a",
        "resourceId": "acme-letters",
        "fileName": "vilkar.pdf",
        "displayName": "Vilkår 2026",
        "isEncrypted": False,
        "checksum": "5d41402abc4b2a76b9719d911017c592",
        "sendersReference": "ref-attachment",
        "dataType": "application/pdf",
        "size": 48213,
        "status": "Published",
        "statusText": "Published",
        "statusChanged": "2026-03-01T09:15:02Z",
        "correspondenceIds": [],
        "statusHistory": [
            {"status": "Initialized", "statusText": "Initialized", "statusChanged": "2026-03-01T09:15:00Z"},
            {"status": "UploadProcessing", "statusText": "UploadProcessing", "statusChanged": "2026-03-01T09:15:01Z"},
            {"status": "Published", "statusText": "Published", "statusChanged": "2026-03-01T09:15:02Z"},
        ],
    },
)


class AttachmentDetailsView(AttachmentView):
    serializer_class = s.AttachmentDetailsSerializer

    @extend_schema(
        operation_id="getAttachmentDetails",
        summary="An attachment, its status and its status history",
        responses={200: s.AttachmentDetailsSerializer},
        examples=[DETAILS_EXAMPLE],
    )
    def get(self, request, attachment_id):
        return Response(s.AttachmentDetailsSerializer(self.get_attachment()).data)


class UploadAttachmentView(AttachmentView):
    parser_classes = [OctetStreamParser]
    serializer_class = s.AttachmentOverviewSerializer

    @extend_schema(
        operation_id="uploadAttachmentData",
        summary="Upload the attachment's bytes",
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: s.AttachmentOverviewSerializer,
            413: OpenApiResponse(ProblemDetailsSerializer, description="Larger than the configured limit."),
        },
    )
    def post(self, request, attachment_id):
        attachment = self.get_attachment()
        stream, length = upload_stream(request)
        services.upload_attachment(attachment, stream, content_length=length)
        return Response(s.AttachmentOverviewSerializer(attachment).data)


class DownloadAttachmentView(AttachmentView):
    renderer_classes = [JSONRenderer, BinaryRenderer]

    @extend_schema(
        operation_id="downloadAttachmentData",
        summary="Download the attachment's bytes",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, attachment_id):
        attachment = self.get_attachment()
        return FileResponse(
            selectors.published_file(attachment),
            as_attachment=True,
            filename=attachment.file_name,
            content_type=attachment.data_type or "application/octet-stream",
        )


# --- Correspondence -------------------------------------------------------------------------------------------------


class CorrespondenceView(AltinnView):
    entity_name = "correspondence"

    def get_correspondence(self):
        return selectors.dispatched_correspondence(self.sender, self.kwargs["correspondence_id"])


class InitializeCorrespondencesView(CorrespondenceView):
    serializer_class = s.InitializeCorrespondencesSerializer
    # What GET lists; get_queryset narrows it to the sender's.
    queryset = DispatchedCorrespondence.objects.all()
    filterset_class = DispatchedCorrespondenceFilterSet
    pagination_class = AltinnPagination

    def get_queryset(self):
        return selectors.dispatched_by(self.sender).order_by("-created_on", "pk")

    @extend_schema(
        operation_id="initializeCorrespondences",
        summary="Initialize a correspondence for each recipient",
        request=s.InitializeCorrespondencesSerializer,
        responses={200: s.InitializeCorrespondencesResponseSerializer},
    )
    def post(self, request):
        data = self.valid(s.InitializeCorrespondencesSerializer)
        correspondence = data["correspondence"]
        content, notification = correspondence["content"], correspondence["notification"]
        result = services.initialize_dispatch(
            sender=self.sender,
            recipients=data["recipients"],
            content=services.MessageContent(
                language=content["language"],
                title=content["messageTitle"],
                summary=content["messageSummary"] or "",
                body=content["messageBody"],
            ),
            senders_reference=correspondence["sendersReference"],
            resource_id=correspondence["resourceId"] or "",
            message_sender=correspondence["messageSender"] or "",
            requested_publish_time=correspondence["requestedPublishTime"],
            due_date_time=correspondence["dueDateTime"],
            is_confirmation_needed=correspondence["isConfirmationNeeded"],
            notification=notification and _notification_request(notification),
            existing_attachments=data["existingAttachments"],
            idempotent_key=data["idempotentKey"],
        )
        return Response(s.initialized_body(result))

    @extend_schema(
        operation_id="getCorrespondences",
        summary="The ids of the sender's correspondences",
        responses={200: s.CorrespondenceListSerializer},
    )
    def get(self, request):
        ids = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values_list("pk", flat=True))
        return self.get_paginated_response({"ids": [str(pk) for pk in ids]})


def _notification_request(data: dict) -> services.NotificationRequest:
    return services.NotificationRequest(
        template=data["notificationTemplate"],
        channel=data["notificationChannel"],
        email_subject=data["emailSubject"] or "",
        email_body=data["emailBody"] or "",
        sms_body=data["smsBody"] or "",
        send_reminder=data["sendReminder"],
        reminder_channel=data.get("reminderNotificationChannel") or "",
        reminder_email_subject=data["reminderEmailSubject"] or "",
        reminder_email_body=data["reminderEmailBody"] or "",
        reminder_sms_body=data["reminderSmsBody"] or "",
    )


class CorrespondenceOverviewView(CorrespondenceView):
    serializer_class = s.CorrespondenceOverviewSerializer

    @extend_schema(
        operation_id="getCorrespondenceOverview",
        summary="A correspondence and its current status",
        responses={200: s.CorrespondenceOverviewSerializer},
    )
    def get(self, request, correspondence_id):
        return Response(s.CorrespondenceOverviewSerializer(self.get_correspondence()).data)


class CorrespondenceDetailsView(CorrespondenceView):
    serializer_class = s.CorrespondenceDetailsSerializer

    @extend_schema(
        operation_id="getCorrespondenceDetails",
        summary="A correspondence with its status history and notifications",
        responses={200: s.CorrespondenceDetailsSerializer},
    )
    def get(self, request, correspondence_id):
        return Response(s.CorrespondenceDetailsSerializer(self.get_correspondence()).data)


class MarkAsReadView(CorrespondenceView):
    @extend_schema(
        operation_id="markCorrespondenceAsRead",
        summary="Mark as read: no reminder goes out after this",
        request=None,
        responses={200: OpenApiTypes.UUID},
    )
    def post(self, request, correspondence_id):
        return Response(str(services.mark_read(self.get_correspondence()).pk))


class ConfirmView(CorrespondenceView):
    @extend_schema(
        operation_id="confirmCorrespondence", summary="Confirm", request=None, responses={200: OpenApiTypes.UUID}
    )
    def post(self, request, correspondence_id):
        return Response(str(services.confirm(self.get_correspondence()).pk))


class PurgeView(CorrespondenceView):
    @extend_schema(
        operation_id="purgeCorrespondence",
        summary="Purge: delete the correspondence, and its attachments once nothing else uses them",
        responses={200: OpenApiTypes.UUID},
    )
    def delete(self, request, correspondence_id):
        return Response(str(services.purge(self.get_correspondence()).pk))
