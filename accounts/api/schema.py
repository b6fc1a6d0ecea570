"""OpenAPI helpers shared by the families."""

from drf_spectacular.openapi import AutoSchema

ERROR_CODES = ("400", "401", "403", "404", "405", "406", "415")


def schema_with_errors(error_serializer, codes=ERROR_CODES) -> type[AutoSchema]:
    """An AutoSchema that documents the family's error body under every error status a view can answer."""

    class FamilyAutoSchema(AutoSchema):
        def _get_response_bodies(self, direction="response"):
            responses = super()._get_response_bodies(direction)
            for code in codes:
                if code not in responses:
                    responses[code] = self._get_response_for_code(error_serializer, code, direction=direction)
            return responses

    return FamilyAutoSchema
