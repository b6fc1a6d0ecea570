"""Correspondence initialize, Altinn style (`/correspondence/api/v1/`): every list and detail costs a stated number
of queries, whatever the rows. The records are made through the family's own API: shared attachments uploaded,
then correspondences initialized to people with Norwegian national identity numbers, with a notification and its
reminder. No count includes the key: the counted request finds it kept from the first (accounts/key_cache.py)."""

import hashlib
from itertools import count

import pytest

from tests.correspondence.initialize.helpers import INITIALIZE_URL, PDF_BYTES, initialize_body
from tests.correspondence.initialize.numbers import national_identity_number

from .guard import Guards, assert_steady

pytestmark = pytest.mark.django_db

GUARDS = Guards("correspondence")
API = "/correspondence/api/v1"
NOTIFICATION = {"notificationTemplate": "GenericAltinnMessage", "sendReminder": True}


def test_every_list_and_detail_of_the_family_has_a_guard():
    assert GUARDS.unguarded_routes() == []


@pytest.fixture
def upload(altinn):
    """A shared attachment, uploaded; its id."""
    names = count()

    def upload() -> str:
        body = {"fileName": f"terms-{next(names)}.pdf", "sendersReference": "terms", "checksum": _md5(PDF_BYTES)}
        attachment = altinn.post(f"{API}/attachment", body, format="json").json()
        uploaded = altinn.post(
            f"{API}/attachment/{attachment}/upload", PDF_BYTES, content_type="application/octet-stream"
        )
        assert uploaded.status_code == 200, uploaded.content
        return attachment

    return upload


@pytest.fixture
def initialize(altinn, make_contact):
    """One Initialize to `recipients` new people, with a notification and its reminder, carrying the attachments;
    the ids of the correspondences it made."""
    people = count()

    def initialize(recipients: int, attachments=()) -> list[str]:
        numbers = [national_identity_number(next(people)) for _ in range(recipients)]
        for number in numbers:
            make_contact(id_number=number)
        body = initialize_body(numbers, notification=NOTIFICATION)
        body["existingAttachments"] = list(attachments)
        response = altinn.post(INITIALIZE_URL, body, format="json")
        assert response.status_code == 200, response.content
        return [item["correspondenceId"] for item in response.json()["correspondences"]]

    return initialize


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@GUARDS.guard("altinn-correspondences")
def test_the_senders_correspondences(altinn, initialize):
    # count, page of ids
    assert_steady(
        lambda: altinn.get(INITIALIZE_URL, {"limit": 100}),
        initialize,
        queries=2,
        size=lambda response: len(response.json()["ids"]),
    )


@pytest.fixture
def newest(initialize, upload):
    """`grow(n)` initializes one more correspondence, carrying n more attachments than the last; `url(path)` is the
    address of that newest one."""
    shown, carried = [], []

    def grow(n):
        carried.extend(upload() for _ in range(n))
        shown.append(initialize(1, carried)[0])

    def url(path=""):
        return f"{INITIALIZE_URL}/{shown[-1]}{path}"

    return grow, url


@GUARDS.guard("altinn-correspondence")
def test_a_correspondence_with_its_attachments_and_notifications(altinn, newest):
    grow, url = newest

    # correspondence (dispatch and customer's correspondence joined), attachments, notification orders, status
    # events
    assert_steady(lambda: altinn.get(url()), grow, queries=4)


@GUARDS.guard("altinn-correspondence-details")
def test_a_correspondences_details(altinn, newest):
    grow, url = newest

    # correspondence (dispatch and customer's correspondence joined), attachments, notification orders, status
    # events
    assert_steady(lambda: altinn.get(url("/details")), grow, queries=4)


@pytest.fixture
def shared(initialize, upload):
    """An attachment that `grow(n)` has carried to n more correspondences."""
    attachment = upload()

    def grow(n):
        initialize(n, [attachment])

    return attachment, grow


@GUARDS.guard("altinn-attachment")
def test_an_attachment_and_the_correspondences_that_carry_it(altinn, shared):
    attachment, grow = shared

    # attachment, the ids of the correspondences that carry it
    assert_steady(
        lambda: altinn.get(f"{API}/attachment/{attachment}"),
        grow,
        queries=2,
        size=lambda response: len(response.json()["correspondenceIds"]),
    )


@GUARDS.guard("altinn-attachment-details")
def test_an_attachments_details_and_status_history(altinn, shared):
    attachment, grow = shared

    # attachment, its status history, the ids of the correspondences that carry it
    assert_steady(
        lambda: altinn.get(f"{API}/attachment/{attachment}/details"),
        grow,
        queries=3,
        size=lambda response: len(response.json()["correspondenceIds"]),
    )


@GUARDS.guard("altinn-attachment-download")
def test_an_attachments_bytes(altinn, shared):
    attachment, grow = shared

    # attachment
    assert_steady(lambda: altinn.get(f"{API}/attachment/{attachment}/download"), grow, queries=1)
