"""One client per API family, each handing over its API key the way that family's integrators do.

The fixtures in tests/conftest.py follow one pattern per family: `<family>` (a live key with every scope),
`<family>_test_mode` (a test-mode key) and `<family>_as(*scopes, mode=..., postal_accounts=...)`.
"""

import json
from functools import cached_property

from django.test import TestCase
from rest_framework.test import APIClient

from accounts.models import ApiKey

CRM_PREFIX = "/crmapi/rest/v2"
JSONRPC_ENDPOINT = "/publicinterface/jsonrpc"


class BackofficeClient(APIClient):
    """/backoffice/v2/: the key in the `api_key` header."""

    def __init__(self, key: str | None = None, **defaults):
        super().__init__(**defaults)
        self.key = key
        if key:
            self.credentials(HTTP_API_KEY=key)


class BearerClient(APIClient):
    """`Authorization: Bearer <key>`."""

    def __init__(self, key: str | None = None, **defaults):
        super().__init__(**defaults)
        self.key = key
        if key:
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")


class BackendClient(BearerClient):
    """/backend/api/v1/. Runs what a request left for after its commit (the PDF rendering), as a real request
    would, since the test's transaction never commits."""

    def generic(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().generic(*args, **kwargs)


class AltinnClient(BearerClient):
    """/correspondence/api/v1/. The family's records belong to the sending key: `sender` is its row."""

    @cached_property
    def sender(self) -> ApiKey:
        return ApiKey.objects.get(hashed_key=ApiKey.hash(self.key))


class CrmClient:
    """/crmapi/rest/v2/<method> with the `token` parameter, as the family's integrators call it."""

    def __init__(self, key: str | None = None):
        self.key = key
        self.client = APIClient()

    @property
    def token(self) -> str | None:
        return self.key

    def get(self, method: str, **params):
        return self.client.get(f"{CRM_PREFIX}/{method}", {"token": self.key, **params})

    def post(self, method: str, body):
        """`body` is a dict, or JSON text copied from the seed ({{token}} is filled in)."""
        if isinstance(body, str):
            text = body.replace("{{token}}", self.key)
            return self.client.generic("POST", f"{CRM_PREFIX}/{method}", text, content_type="application/json")
        return self.client.post(f"{CRM_PREFIX}/{method}", {"token": self.key, **body}, format="json")


class JsonRpcClient:
    """Posts JSON-RPC bodies to the letter-status endpoint the way the seed's curl does."""

    def __init__(self, key: str | None = None):
        self.key = key
        self.client = BearerClient(key)

    def post(self, body, content_type="application/json"):
        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.generic("POST", JSONRPC_ENDPOINT, raw, content_type=content_type)

    def call(self, method: str, params=None, *, id=1):
        body = {"jsonrpc": "2.0", "method": method, "id": id}
        if params is not None:
            body["params"] = params
        return self.post(body)
