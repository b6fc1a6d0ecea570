"""A connection lost during a request (InterfaceError) is an outage like a refused one (OperationalError): 503
in each family's body with Retry-After. Requests that reach no view (the admin) get a plain 503 page; any other
unexpected error stays Django's 500 page. Neither shows the driver's words or a trace.

(tests/config/test_fault_postgres_restart.py proves the same against a PostgreSQL server that is really stopped.)
"""

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

LOST = InterfaceError("connection already closed (server at 10.1.2.3)")
REFUSED = OperationalError('connection to server at "10.1.2.3", port 5432 failed: Connection refused')

# family → (request arguments of the test client, the family's error identifier in the body)
FAMILIES = {
    "backoffice": (
        lambda key: {"path": "/backoffice/v2/contacts", "HTTP_API_KEY": key},
        lambda body: body["error"] == "CRM.EXCEPTIONS.SERVICEUNAVAILABLEEXCEPTION",
    ),
    "crm": (
        lambda key: {"path": "/crmapi/rest/v2/communications/queue/list", "data": {"token": key, "media": "EMAIL"}},
        lambda body: body["status"]["code"] == "SERVICE_UNAVAILABLE" and body["data"] is None,
    ),
    "letters": (
        lambda key: {"path": "/backend/api/v1/correspondence/", "HTTP_AUTHORIZATION": f"Bearer {key}"},
        lambda body: body["error_code"] == 503001,
    ),
    "altinn": (
        lambda key: {"path": "/correspondence/api/v1/attachment/x", "HTTP_AUTHORIZATION": f"Bearer {key}"},
        lambda body: body["title"] == "Service Unavailable" and body["status"] == 503,
    ),
}


@pytest.fixture
def database_fails(monkeypatch):
    """Every API key lookup fails the way the database does."""

    def fail_with(error):
        def lookup(raw_key):
            raise error

        monkeypatch.setattr("accounts.authentication.credential_for_api_key", lookup)

    return fail_with


@pytest.mark.parametrize("family", FAMILIES)
def test_a_connection_lost_mid_request_is_503_in_the_familys_body(family, api_key, database_fails):
    database_fails(LOST)
    request, is_unavailable = FAMILIES[family]

    response = Client().get(**request(api_key))

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert is_unavailable(response.json())
    assert "10.1.2.3" not in response.content.decode() and "closed" not in response.content.decode()


def test_a_connection_lost_mid_request_is_503_in_the_jsonrpc_body(api_key, database_fails):
    database_fails(LOST)
    call = {"jsonrpc": "2.0", "method": "recent_uploads", "params": {"account": "ABC12345"}, "id": 1}

    response = Client().post(
        "/publicinterface/jsonrpc",
        json.dumps(call),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_key}",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json()["error"]["code"] == -32050
    assert "10.1.2.3" not in response.content.decode()


@pytest.fixture
def staff_seeing_error_pages(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("error", [REFUSED, LOST], ids=["refused", "lost"])
def test_a_staff_page_during_an_outage_is_a_plain_503_page(staff_seeing_error_pages, monkeypatch, error):
    def dashboard_charts(user):
        raise error

    monkeypatch.setattr("accounts.admin_site.dashboard_charts", dashboard_charts)

    response = staff_seeing_error_pages.get("/admin/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "<h1>Service unavailable</h1>" in page
    assert "10.1.2.3" not in page and "Traceback" not in page and "Error" not in page


def test_any_other_unexpected_error_is_still_a_500_page(staff_seeing_error_pages, monkeypatch):
    def dashboard_charts(user):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("accounts.admin_site.dashboard_charts", dashboard_charts)

    response = staff_seeing_error_pages.get("/admin/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "a bug" not in response.content.decode() and "Service unavailable" not in response.content.decode()
