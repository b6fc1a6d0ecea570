"""Two external systems polling and working the same queue at once on PostgreSQL: no entry is handled twice."""

import threading
from collections import Counter

import pytest
from django.db import connection

from communications.models import QueueEntry
from tests.clients import CrmClient

pytestmark = pytest.mark.django_db(transaction=True)

SYSTEMS = 4
ENTRIES = 20


def test_each_entry_is_processed_or_rejected_by_exactly_one_system(api_key, make_queue_entry):
    for n in range(ENTRIES):
        make_queue_entry(subject=f"entry {n}")
    # Every system reads the whole queue before any acts on it, so each contends for every entry.
    have_read = threading.Barrier(SYSTEMS)
    wins: Counter = Counter()
    refusals: Counter = Counter()
    errors = []

    def external_system(index: int):
        client = CrmClient(api_key)
        try:
            latest = client.get("communications/queue/get_latest", media="EMAIL", number=ENTRIES)
            have_read.wait(timeout=60)
            for item in latest.json()["data"]:
                identifier = {"communication_queue_identifier": {"id": item["id"]}}
                if index % 2:
                    response = client.post("communications/queue/process", identifier)
                else:
                    body = {**identifier, "error_code": "01", "error_description": "busy"}
                    response = client.post("communications/queue/reject", body)
                if response.status_code == 200:
                    wins[item["id"]] += 1
                else:
                    assert response.json()["status"]["code"] == "INVALID_STATE_TRANSITION"
                    refusals[item["id"]] += 1
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=external_system, args=(i,)) for i in range(SYSTEMS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    ids = {entry.id.hex.upper() for entry in QueueEntry.objects.all()}
    assert wins == Counter(dict.fromkeys(ids, 1))
    assert sum(refusals.values()) == ENTRIES * (SYSTEMS - 1)
    assert set(QueueEntry.objects.values_list("state", flat=True)) <= {"COMPLETED", "REJECTED"}
    assert QueueEntry.objects.filter(state="PENDING").count() == 0
