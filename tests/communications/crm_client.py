"""A client of the CRM.COM R-series family, for the communications tests."""

from rest_framework.test import APIClient


class CrmClient:
    """Calls /crmapi/rest/v2/<method> with the `token` parameter, as the family's integrators do."""

    def __init__(self, token: str):
        self.token = token
        self.client = APIClient()

    def get(self, method: str, **params):
        return self.client.get(f"/crmapi/rest/v2/{method}", {"token": self.token, **params})

    def post(self, method: str, body):
        """`body` is a dict, or JSON text copied from the seed ({{token}} is filled in)."""
        if isinstance(body, str):
            text = body.replace("{{token}}", self.token)
            return self.client.generic("POST", f"/crmapi/rest/v2/{method}", text, content_type="application/json")
        return self.client.post(f"/crmapi/rest/v2/{method}", {"token": self.token, **body}, format="json")
