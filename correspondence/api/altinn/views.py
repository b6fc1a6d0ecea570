from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from correspondence import selectors, services

from . import serializers as s
from .dialect import AltinnView, BinaryRenderer, OctetStreamParser

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


class UploadAttachmentView(AttachmentView):
    parser_classes = [OctetStreamParser]
    serializer_class = s.AttachmentOverviewSerializer

    @extend_schema(
        operation_id="uploadAttachmentData",
        summary="Upload the attachment's bytes",
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={200: s.AttachmentOverviewSerializer},
    )
    def post(self, request, attachment_id):
        attachment = self.get_attachment()
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        stream = request.data if length else None
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
