"""GET /correspondence/api/v1/correspondence: the ids of the sender's correspondences, filtered and paged."""

from datetime import UTC, datetime

import pytest
import time_machine

from correspondence import services

pytestmark = pytest.mark.django_db
URL = "/correspondence/api/v1/correspondence"


def test_lists_the_senders_ids_newest_first(altinn, dispatch_one, altinn_as):
    first, second = dispatch_one(), dispatch_one()
    dispatch_one(client=altinn_as())

    body = altinn.get(URL).json()

    assert body["ids"] == [second, first]
    assert body["pagination"] == {"totalItems": 2, "page": 1, "pages": 1}


def test_filters_by_status_and_senders_reference(altinn, dispatch_one):
    published = dispatch_one(sendersReference="batch-1")
    services.publish_due_correspondences()
    waiting = dispatch_one(sendersReference="batch-2", requestedPublishTime="2099-01-01T00:00:00Z")

    assert altinn.get(URL, {"status": "Published"}).json()["ids"] == [published]
    assert altinn.get(URL, {"status": "ReadyForPublish"}).json()["ids"] == [waiting]
    assert altinn.get(URL, {"sendersReference": "batch-2"}).json()["ids"] == [waiting]


def test_filters_by_creation_dates(altinn, dispatch_one):
    with time_machine.travel(datetime(2026, 1, 10, tzinfo=UTC)):
        january = dispatch_one()
    with time_machine.travel(datetime(2026, 2, 10, tzinfo=UTC)):
        february = dispatch_one()

    assert altinn.get(URL, {"from": "2026-02-01T00:00:00Z"}).json()["ids"] == [february]
    assert altinn.get(URL, {"to": "2026-02-01T00:00:00Z"}).json()["ids"] == [january]


def test_pages_with_offset_and_limit(altinn, dispatch_one):
    ids = [dispatch_one() for _ in range(3)][::-1]
    body = altinn.get(URL, {"offset": 2, "limit": 2}).json()
    assert body == {"ids": ids[2:], "pagination": {"totalItems": 3, "page": 2, "pages": 2}}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "Lost"}, "status"), ({"from": "yesterday"}, "from"), ({"limit": -1}, "limit")],
)
def test_bad_filters_are_400(altinn, params, field):
    response = altinn.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_from_after_to_is_400(altinn):
    response = altinn.get(URL, {"from": "2026-03-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"})
    assert response.json()["errors"] == {"from": ["From date cannot be after to date"]}
