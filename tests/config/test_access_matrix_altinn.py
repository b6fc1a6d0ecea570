"""The Altinn-style family's column of the access matrix: every route that names an attachment or a correspondence
(in its path), called by a key that does not own it — a test-mode key, or another live sender — answers exactly
as for an id that never existed, leaks nothing and changes nothing the owner sees.

The family's records belong to the sending API key, so the other mode's records and another sender's are the
same case: a test key is always another key.
"""

import hashlib
import uuid

import pytest
from rest_framework.test import APIClient

from correspondence import services as correspondence
from tests.correspondence.initialize.helpers import PDF_BYTES as PDF
from tests.correspondence.initialize.numbers import national_identity_number

from .access import ROUTES, Route, assert_nothing_leaked

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Secret tariff letter"
RECORD_OF_ROUTE = {
    "altinn-attachment": "attachment",
    "altinn-attachment-upload": "attachment",
    "altinn-attachment-download": "attachment",
    "altinn-attachment-details": "attachment",
    "altinn-correspondence": "correspondence",
    "altinn-correspondence-details": "correspondence",
    "altinn-correspondence-markasread": "correspondence",
    "altinn-correspondence-confirm": "correspondence",
    "altinn-correspondence-purge": "correspondence",
}
CALLS = [
    pytest.param(route, method, id=f"{method.upper()} /{route.pattern}")
    for route in ROUTES
    if route.name in RECORD_OF_ROUTE
    for method in route.methods
]


def test_every_altinn_route_that_names_a_record_is_in_the_column():
    named = {route.name for route in ROUTES if route.name.startswith("altinn-") and "<" in route.pattern}
    assert named == set(RECORD_OF_ROUTE)


@pytest.fixture
def owner(altinn_as):
    return altinn_as("correspondence.read", "correspondence.write")


@pytest.fixture
def owned(owner, make_contact) -> dict[str, str]:
    """The owner's uploaded attachment and a published correspondence to a person that carries it."""
    attachment = owner.post(
        "/correspondence/api/v1/attachment",
        {"fileName": "tariff.pdf", "sendersReference": "secret-ref", "checksum": hashlib.md5(PDF).hexdigest()},
        format="json",
    ).json()
    upload = owner.post(
        f"/correspondence/api/v1/attachment/{attachment}/upload", PDF, content_type="application/octet-stream"
    )
    assert upload.status_code == 200, upload.content
    person = make_contact(id_number=national_identity_number(7))
    body = {
        "correspondence": {
            "resourceId": "acme-letters",
            "sendersReference": "secret-case",
            "content": {"language": "en", "messageTitle": SECRET_TITLE, "messageBody": "Secret body"},
        },
        "recipients": [person.id_number],
        "existingAttachments": [attachment],
    }
    response = owner.post("/correspondence/api/v1/correspondence", body, format="json")
    assert response.status_code == 200, response.content
    correspondence.publish_due_correspondences()
    return {"attachment": attachment, "correspondence": response.json()["correspondences"][0]["correspondenceId"]}


def call(route: Route, method: str, client: APIClient, record_id: str):
    url = route.url(record_id)
    if route.name == "altinn-attachment-upload":
        return client.post(url, PDF, content_type="application/octet-stream")
    return getattr(client, method)(url, format="json")


def as_the_owner_sees_them(owner: APIClient, owned: dict[str, str]) -> tuple:
    return (
        owner.get(f"/correspondence/api/v1/attachment/{owned['attachment']}").json(),
        owner.get(f"/correspondence/api/v1/correspondence/{owned['correspondence']}/details").json(),
    )


@pytest.mark.parametrize("outsider", ["test key", "another live sender"])
@pytest.mark.parametrize(("route", "method"), CALLS)
def test_a_record_of_another_key_is_indistinguishable_from_a_missing_one(
    altinn_as, owner, owned, route, method, outsider
):
    mode = "test" if outsider == "test key" else "live"
    stranger = altinn_as("correspondence.read", "correspondence.write", mode=mode)
    their_id, absent_id = owned[RECORD_OF_ROUTE[route.name]], str(uuid.uuid4())
    before = as_the_owner_sees_them(owner, owned)

    crossed, absent = call(route, method, stranger, their_id), call(route, method, stranger, absent_id)

    assert crossed.status_code == absent.status_code == 404, crossed.content
    assert crossed.content.decode().replace(their_id, "ID") == absent.content.decode().replace(absent_id, "ID")
    assert_nothing_leaked(crossed, SECRET_TITLE, "secret-ref", "secret-case", "tariff.pdf")
    assert as_the_owner_sees_them(owner, owned) == before
