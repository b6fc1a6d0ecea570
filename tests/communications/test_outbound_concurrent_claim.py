"""Several workers on PostgreSQL racing for the same rows: each message is sent exactly once."""

import random
import threading
from collections import Counter

import pytest
from django.db import connection

from communications import outbound
from communications.models import OutboundMessage

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
MESSAGES = 25


def test_racing_workers_send_each_message_exactly_once(smtp_server, make_outbound):
    ids = [make_outbound(subject=f"message {n}").pk for n in range(MESSAGES)]
    barrier = threading.Barrier(WORKERS)
    claimed: Counter = Counter()
    errors = []

    def worker():
        order = ids[:]
        random.shuffle(order)
        try:
            barrier.wait()
            with outbound.MailerSession() as session:
                for message_id in order:
                    if outbound.send_one(message_id, session=session) is not None:
                        claimed[message_id] += 1
        except Exception as error:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert claimed == Counter(dict.fromkeys(ids, 1))
    subjects = Counter(mail.message["Subject"] for mail in smtp_server.received)
    assert subjects == Counter({f"message {n}": 1 for n in range(MESSAGES)})
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {("SENT", 1)}
