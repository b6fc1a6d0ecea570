"""idempotentKey: a repeated Initialize is refused with 409 and creates nothing more."""

import threading
import uuid

import pytest
from django.db import connection

from correspondence.models import Correspondence, Dispatch, DispatchedCorrespondence

pytestmark = pytest.mark.django_db


def test_a_reused_key_is_409_and_nothing_more_is_created(altinn, initialize, make_person):
    recipients, key = [make_person(1).id_number, make_person(2).id_number], uuid.uuid4()
    assert initialize(altinn, recipients, idempotent_key=key).status_code == 200

    response = initialize(altinn, recipients, idempotent_key=key)

    assert response.status_code == 409
    body = response.json()
    assert (body["errorCode"], body["title"]) == (1034, "Conflict")
    assert body["detail"] == "A correspondence with the same idempotent key already exists"
    assert Dispatch.objects.count() == 1
    assert DispatchedCorrespondence.objects.count() == Correspondence.objects.count() == 2


def test_keys_belong_to_their_sender(altinn, initialize, make_person, altinn_as):
    recipients, key = [make_person(1).id_number], uuid.uuid4()
    assert initialize(altinn, recipients, idempotent_key=key).status_code == 200
    assert initialize(altinn_as(), recipients, idempotent_key=key).status_code == 200


def test_without_a_key_the_same_request_twice_is_two_dispatches(altinn, initialize, make_person):
    recipients = [make_person(1).id_number]
    initialize(altinn, recipients)
    initialize(altinn, recipients)
    assert Dispatch.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_create_one_dispatch(altinn, initialize, make_person):
    recipients, key = [make_person(n).id_number for n in range(20)], uuid.uuid4()
    barrier, statuses = threading.Barrier(2), []

    def send():
        barrier.wait()
        try:
            response = initialize(altinn, recipients, idempotent_key=key)
            statuses.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for status, _ in statuses) == [200, 409], statuses
    assert Dispatch.objects.count() == 1
    assert DispatchedCorrespondence.objects.count() == 20
