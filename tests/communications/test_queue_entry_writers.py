"""GET communications/queue/show and POST queue/process name who wrote an entry: a staff user by name and GUID,
an API key by its name; the entry is found by a query compiled once per process, which reads users only for
entries that name one."""

import pytest
from django.contrib.auth.models import User

from accounts.models import ApiKey
from accounts.selectors import user_guid
from communications.models import QueueEntry

pytestmark = pytest.mark.django_db


def writers(response) -> tuple:
    assert response.status_code == 200, response.content
    log = response.json()["data"]["log_information"]
    return log["created_by_user"], log["updated_by_user"]


def test_an_entry_a_staff_user_created_names_them_and_the_key_that_changed_it(crm, make_queue_entry):
    entry = make_queue_entry(number="7")
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark", email="kathy@example.com")
    key = ApiKey.objects.filter(name="test key").first()
    QueueEntry.objects.filter(pk=entry.pk).update(created_by_user=clerk, updated_by_user=None, updated_by_key=key)

    created, updated = writers(crm.get("communications/queue/show", communication_queue_identifier="number=7"))

    assert created == {
        "person_name": "Kathy Clark",
        "username": "clerk",
        "id": user_guid(clerk).hex.upper(),
        "email": "kathy@example.com",
    }
    assert updated["person_name"] == "test key"
    assert updated["username"].startswith("api-key:")


def test_an_entry_the_same_user_created_and_changed_names_them_twice(crm, make_queue_entry):
    entry = make_queue_entry(number="8")
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark")
    QueueEntry.objects.filter(pk=entry.pk).update(created_by_user=clerk, updated_by_user=clerk)

    created, updated = writers(crm.get("communications/queue/show", communication_queue_identifier="number=8"))

    assert created == updated
    assert created["username"] == "clerk"
    assert created["email"] is None


def test_processing_names_the_key_that_did_it_and_keeps_the_user_who_created_it(crm, make_queue_entry):
    entry = make_queue_entry(number="9")
    clerk = User.objects.create_user("clerk")
    QueueEntry.objects.filter(pk=entry.pk).update(created_by_user=clerk, updated_by_user=clerk)

    response = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": "9"}})
    created, updated = writers(response)

    assert (created["username"], created["person_name"]) == ("clerk", "clerk")
    assert updated["person_name"] == "test key"
    entry.refresh_from_db()
    assert (entry.state, entry.updated_by_user) == ("COMPLETED", None)
