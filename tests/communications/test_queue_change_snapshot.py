"""A queue entry's state change and its history snapshot are one statement: the snapshot is the row as the change
left it, with who acted, and a refused change writes neither."""

import pytest
from django.contrib.auth.models import User

from accounts.actors import Actor, acting
from accounts.errors import IllegalTransition
from communications import services
from communications.models import QueueEntry

pytestmark = pytest.mark.django_db


def test_the_snapshot_is_the_entry_as_changed_with_who_acted(make_queue_entry):
    entry = make_queue_entry(number="5")
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark")

    with acting(Actor.staff(clerk)):
        services.reject_entry(entry, error_code=" E7 ", error_description="Mailbox full")

    stored = QueueEntry.objects.get(pk=entry.pk)
    snapshot = stored.history.order_by("history_date").last()
    tracked = [field.attname for field in QueueEntry.history.model.tracked_fields]
    assert {name: getattr(snapshot, name) for name in tracked} == {name: getattr(stored, name) for name in tracked}
    assert (stored.state, stored.error_code, stored.updated_by_user) == ("REJECTED", "E7", clerk)
    assert (snapshot.history_type, snapshot.history_change_reason) == ("~", "")
    assert (snapshot.history_user, snapshot.actor_path, snapshot.actor_name) == (clerk, "admin", "Kathy Clark")
    assert snapshot.actor_api_key is None


def test_a_refused_change_writes_no_snapshot(make_queue_entry):
    entry = make_queue_entry(number="6")
    services.process_entry(entry)
    before = entry.history.count()

    with pytest.raises(IllegalTransition, match="Queue entry 6 is COMPLETED"):
        services.process_entry(QueueEntry.objects.get(pk=entry.pk))

    assert entry.history.count() == before
    assert QueueEntry.objects.get(pk=entry.pk).state == "COMPLETED"


@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_on_the_embedded_database_the_change_and_its_snapshot_go_together(crm, make_queue_entry):
    entry = make_queue_entry(number="9")

    response = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": "9"}})
    again = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": "9"}})

    assert response.status_code == 200, response.content
    assert again.status_code != 200
    snapshot = QueueEntry.objects.get(pk=entry.pk).history.order_by("history_date").last()
    assert (snapshot.state, snapshot.history_type, snapshot.actor_name) == ("COMPLETED", "~", "test key")
    assert entry.history.count() == 2
