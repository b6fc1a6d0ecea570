"""OpenAPI helpers shared by the families."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

ERROR_DESCRIPTIONS = {
    "400": "The request is invalid; nothing was changed.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The credentials do not grant the scope this request needs.",
    "404": "No such record, or not visible to these credentials.",
    "405": "The method is not allowed on this path.",
    "406": "The Accept header names a type this endpoint cannot produce.",
    "415": "The request body's content type is not supported.",
    "429": "Too many requests: the API key is past its requests a minute (or, on a login, too many failed tries); "
    "`Retry-After` says in how many seconds to try again.",
}
WRITE_ERROR_DESCRIPTIONS = {
    "409": "The request conflicts with a record that exists (a duplicate) or with a concurrent change.",
}


def schema_with_errors(error_serializer, descriptions=ERROR_DESCRIPTIONS) -> type[AutoSchema]:
    """An AutoSchema that documents the family's error body under every error status a view can answer."""

    class FamilyAutoSchema(AutoSchema):
        def _get_response_bodies(self, direction="response"):
            responses = super()._get_response_bodies(direction)
            documented = dict(descriptions)
            if self.method in ("POST", "PUT", "PATCH", "DELETE"):
                documented.update(WRITE_ERROR_DESCRIPTIONS)
            for code, description in documented.items():
                if code not in responses:
                    error = OpenApiResponse(response=error_serializer, description=description)
                    responses[code] = self._get_response_for_code(error, code, direction=direction)
            return responses

    return FamilyAutoSchema
