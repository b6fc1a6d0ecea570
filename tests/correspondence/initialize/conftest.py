"""Fixtures for the initialize family: Bearer clients, senders, shared attachments, customers with Norwegian numbers."""

import hashlib
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey
from correspondence import services, tasks

from .numbers import national_identity_number, organisation_number

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Sender:
    """An integrator: its client sends `Authorization: Bearer <key>`; `key` is the ApiKey row."""

    client: APIClient
    key: ApiKey


@pytest.fixture
def make_sender(make_api_key):
    def make(*scopes, mode="live") -> Sender:
        raw = make_api_key(scopes=scopes or ("correspondence.read", "correspondence.write"), mode=mode)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return Sender(client, ApiKey.objects.get(hashed_key=ApiKey.hash(raw)))

    return make


@pytest.fixture
def sender(make_sender):
    return make_sender()


@pytest.fixture
def altinn(sender):
    """The client of the default sender."""
    return sender.client


@pytest.fixture
def upload():
    """Initialize an attachment and upload bytes to it; returns the upload's response."""

    def send(client, data: bytes = PDF_BYTES, file_name="report.pdf", checksum=True, **fields):
        body = {"fileName": file_name, "sendersReference": "ref-attachment", **fields}
        if checksum:
            body["checksum"] = hashlib.md5(data).hexdigest()
        attachment_id = client.post("/correspondence/api/v1/attachment", body, format="json").json()
        return client.post(
            f"/correspondence/api/v1/attachment/{attachment_id}/upload", data, content_type="application/octet-stream"
        )

    return send


@pytest.fixture
def make_organisation(make_contact):
    def make(n: int = 0, is_test=False, **fields):
        defaults = {
            "contact_type": "COMPANY",
            "company_name": f"Nordlys {n} AS",
            "first_name": "",
            "last_name": "",
            "email": f"post{n}@nordlys.example.com",
            "phone": "+4791234567",
        }
        return make_contact(is_test=is_test, org_number=organisation_number(n), **{**defaults, **fields})

    return make


@pytest.fixture
def make_person(make_contact):
    def make(n: int = 0, is_test=False, **fields):
        return make_contact(is_test=is_test, id_number=national_identity_number(n), **fields)

    return make


INITIALIZE_URL = "/correspondence/api/v1/correspondence"


def initialize_body(recipients, **correspondence) -> dict:
    """A request as Altinn's documentation shows it; `correspondence` overrides parts of the correspondence."""
    notification = correspondence.pop("notification", None)
    body = {
        "correspondence": {
            "resourceId": "acme-letters",
            "sendersReference": "case-4711",
            "content": {
                "language": "en",
                "messageTitle": "Your new tariff",
                "messageSummary": "Prices change on 1 March",
                "messageBody": "# Dear customer\n\nYour tariff changes on 1 March.",
            },
            **correspondence,
        },
        "recipients": list(recipients),
    }
    if notification is not None:
        body["correspondence"]["notification"] = notification
    return body


@pytest.fixture
def initialize():
    """POST an Initialize with the client; extra keyword arguments go to the top level of the body."""

    def send(client, recipients, *, existing_attachments=(), idempotent_key=None, **correspondence):
        body = initialize_body(recipients, **correspondence)
        if existing_attachments:
            body["existingAttachments"] = [str(a) for a in existing_attachments]
        if idempotent_key:
            body["idempotentKey"] = str(idempotent_key)
        return client.post(INITIALIZE_URL, body, format="json")

    return send


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """One run of the beat sweep, with what it leaves for after its commits (emails) run as a worker would."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            tasks.sweep_dispatches()

    return run


@pytest.fixture
def dispatch_one(altinn, initialize, make_person):
    """Initialize a correspondence to one new person; returns its id. Keyword arguments go into the request."""
    counter = iter(range(100, 10_000))

    def make(client=None, **correspondence) -> str:
        person = make_person(next(counter))
        response = initialize(client or altinn, [person.id_number], **correspondence)
        assert response.status_code == 200, response.content
        return response.json()["correspondences"][0]["correspondenceId"]

    return make


@pytest.fixture
def published(dispatch_one):
    """A correspondence published now (the sweep's step run directly)."""

    def make(**correspondence) -> str:
        correspondence_id = dispatch_one(**correspondence)
        services.publish_due_correspondences()
        return correspondence_id

    return make
