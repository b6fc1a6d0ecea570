"""Correspondence numbers stay unique per customer when many are added at the same moment."""

import threading

import pytest
from django.db import connection, connections

from correspondence import services
from correspondence.models import Correspondence

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_adds_get_distinct_sequential_numbers(contact, letter_type, monkeypatch):
    assert connection.vendor == "postgresql", "SQLite runs one writer at a time; this needs parallel writers"
    # Rendering is not what is under test; it would only slow the threads down.
    monkeypatch.setattr(services.letters.rendering, "start_task_after_commit", lambda *args: None)
    workers = 8
    start = threading.Barrier(workers)
    errors = []

    def add():
        try:
            start.wait()
            services.create_correspondence(
                contact, correspondence_type=letter_type, content={"subject": "S", "body": "B"}
            )
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(int(n) for n in Correspondence.objects.filter(customer=contact).values_list("number", flat=True))
    assert numbers == list(range(1, workers + 1))
