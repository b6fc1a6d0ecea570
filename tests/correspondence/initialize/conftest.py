"""Fixtures of the initialize tests: shared attachments, customers with Norwegian numbers, initialized and published
correspondences. The family's clients (`altinn`, `altinn_as`) are shared: tests/conftest.py."""

import hashlib

import pytest

from correspondence import services, tasks

from .helpers import INITIALIZE_URL, PDF_BYTES, initialize_body
from .numbers import national_identity_number, organisation_number


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
