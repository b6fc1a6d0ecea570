"""How our authentication classes appear in the OpenAPI document."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyHeaderScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyHeaderAuthentication"
    name = "apiKeyHeader"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "api_key"}


class BearerJWTScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerJWTAuthentication"
    name = "bearerJWT"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class BearerApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerApiKeyAuthentication"
    name = "bearerApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API key created with create_api_key."}


class TokenParameterScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.TokenParameterAuthentication"
    name = "tokenParameter"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "query",
            "name": "token",
            "description": "From authentication/login, or an API key; POST methods may send it in the body.",
        }
