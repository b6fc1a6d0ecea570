"""GET correspondence/{id} as JSON builds its answer by plain code, the lists and every other answer with
CorrespondenceSerializer: one letter, with every part of it filled or bare, reads the same bytes in both, in the
same key order."""

import json
from datetime import UTC, date, datetime

import pytest
from rest_framework.renderers import JSONRenderer

from correspondence import selectors
from correspondence.api.backend.serializers import CorrespondenceSerializer
from correspondence.models import Correspondence
from correspondence.services import NewAttachment

from .helpers import API

pytestmark = pytest.mark.django_db


def serialized(letter: Correspondence) -> bytes:
    record = selectors.correspondence_in_mode(letter.is_test).get(pk=letter.pk)
    return JSONRenderer().render(CorrespondenceSerializer(record).data)


def read_alone_and_listed(client, letter: Correspondence) -> tuple[bytes, str]:
    alone = client.get(f"{API}/correspondence/{letter.id}", HTTP_ACCEPT="application/json")
    listed = client.get(f"{API}/customers/{letter.customer_id}/correspondence/")
    assert (alone.status_code, listed.status_code) == (200, 200), (alone.content, listed.content)
    [entry] = [item for item in listed.json() if item["id"] == str(letter.id)]
    return alone.content, json.dumps(entry)


def test_every_part_of_a_letter_reads_the_same_alone_as_serialized_and_listed(
    backend, make_contact, make_correspondence
):
    customer = make_contact()
    make_correspondence(customer)
    names = ["terms.pdf", "Annex B.txt", "annex-a.txt", "Ærlig svar.txt"]
    letter = make_correspondence(
        customer,
        number="A-17",
        correspondence_date=date(2026, 2, 28),
        content={"subject": "Din nye pris «Gull»", "body": "Dear customer,\n\nYour tariff changes.", "ps": "Thanks"},
        attachments=[NewAttachment(name=name, content_type="text/plain", data=b"Terms") for name in names],
    )
    Correspondence.objects.filter(pk=letter.pk).update(
        emailed_on=datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
        delivered_on=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        created_on=datetime(2026, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),
    )
    letter.refresh_from_db()

    alone, listed = read_alone_and_listed(backend, letter)

    assert alone == serialized(letter)
    assert json.dumps(json.loads(alone)) == listed
    data = json.loads(alone)
    assert data["status"] == ["ready", "emailed", "delivered"]
    assert sorted(data["attachments"]) == sorted(names)
    assert (data["correspondenceNumber"], data["correspondenceDate"]) == ("A-17", "2026-02-28")
    assert data["created"] == "2026-02-28T23:59:59.999999Z"


def test_a_bare_letter_in_test_mode_reads_the_same(backend_test_mode, make_contact, make_correspondence):
    letter = make_correspondence(
        make_contact(is_test=True), render=False, content={"subject": "Hello", "body": "A line."}
    )

    alone, listed = read_alone_and_listed(backend_test_mode, letter)

    assert alone == serialized(letter)
    assert json.dumps(json.loads(alone)) == listed
    data = json.loads(alone)
    assert (data["status"], data["attachments"]) == ([], [])
