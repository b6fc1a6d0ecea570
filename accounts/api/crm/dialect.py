"""The CRM.COM R-series dialect: the `token` parameter and the `{"status": ..., "data": ...}` envelope.

Views return plain data; the renderer wraps it, the exception handler words errors, so no
view of this family builds an envelope by hand.
"""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api.errors import describe
from accounts.api.parsers import LenientJSONParser, LenientTextJSONParser
from accounts.api.schema import schema_with_errors
from accounts.authentication import TokenParameterAuthentication
from accounts.modes import request_is_test
from accounts.permissions import HasFamilyScope

ERROR_CODES = {
    "not_found": "NOT_FOUND",
    "missing": "MISSING_PARAMETER",
    "invalid": "INVALID_VALUE",
    "illegal_transition": "INVALID_STATE_TRANSITION",
    "conflict": "ALREADY_EXISTS",
    "unauthenticated": "INVALID_TOKEN",
    "forbidden": "PERMISSION_DENIED",
    "method_not_allowed": "METHOD_NOT_ALLOWED",
    "not_acceptable": "NOT_ACCEPTABLE",
    "unsupported_media_type": "UNSUPPORTED_MEDIA_TYPE",
    "parse_error": "INVALID_REQUEST",
    "too_large": "PAYLOAD_TOO_LARGE",
    "throttled": "TOO_MANY_REQUESTS",
    "unavailable": "SERVICE_UNAVAILABLE",
    "internal": "INTERNAL_ERROR",
}

OK_STATUS = {"code": "OK", "message": "", "description": ""}


def exception_handler(exc, context):
    error = describe(exc, context)
    body = {
        "status": {
            "code": ERROR_CODES.get(error.kind, "INVALID_VALUE"),
            "message": error.message,
            "description": ", ".join(str(p) for p in error.parameters),
        },
        "data": None,
    }
    return Response(body, status=error.status, headers=error.headers)


class StatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


def enveloped(serializer, name: str, many: bool = False):
    """The OpenAPI shape of a success: `serializer` as `data` inside the status envelope."""
    data = serializer(many=many) if isinstance(serializer, type) else serializer
    return inline_serializer(name=name, fields={"status": StatusSerializer(), "data": data})


ERROR_ENVELOPE = inline_serializer(
    name="CrmError", fields={"status": StatusSerializer(), "data": serializers.JSONField(allow_null=True)}
)


class EnvelopeRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            data = {"status": OK_STATUS, "data": data}
        return super().render(data, accepted_media_type, renderer_context)


# Base of every view under /crmapi/rest/v2/ (a comment: a docstring would describe every endpoint).
class CrmView(GenericAPIView):
    authentication_classes = [TokenParameterAuthentication]
    permission_classes = [HasFamilyScope]
    parser_classes = [LenientJSONParser, LenientTextJSONParser, FormParser, MultiPartParser]
    renderer_classes = [EnvelopeRenderer]
    scope_family = "communications"
    entity_name = "record"
    schema = schema_with_errors(ERROR_ENVELOPE)()

    def get_exception_handler(self):
        return exception_handler

    @property
    def is_test(self) -> bool:
        return request_is_test(self.request)
