"""Who acted, through each API family: the key (by name and family) or the logged-in user, on the record's history
and on its status history, in the words staff read."""

import pytest

from accounts.actors import SYSTEM, current_actor
from accounts.history_words import acted_by, history_lines
from accounts.models import Contact
from activities.models import Activity
from communications.models import QueueEntry

pytestmark = pytest.mark.django_db

PERSON = {"code": "C900", "first_name": "Anna", "last_name": "Berg", "email": "anna@example.com"}


def test_a_back_office_v2_key_creates_a_contact(backoffice):
    response = backoffice.post("/backoffice/v2/contacts", PERSON, format="json")

    assert response.status_code == 201, response.content
    contact = Contact.objects.get(code="C900")
    snapshot = contact.history.get()
    assert (snapshot.history_type, snapshot.actor_path, snapshot.actor_name) == ("+", "backoffice", "test key")
    assert snapshot.actor_api_key is not None and snapshot.history_user is None
    assert [line.text for line in history_lines(contact)] == ["API key 'test key' (back-office v2 API) created it"]


def test_a_user_logged_in_to_v2_is_named_with_the_family(anonymous, make_activity, django_user_model):
    django_user_model.objects.create_user("j_doe@crm.com", password="correct horse", first_name="Jo", last_name="Doe")
    activity = make_activity()
    login = anonymous.post("/backoffice/v2/users/login", {"username": "j_doe@crm.com", "password": "correct horse"})
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")

    response = anonymous.put(f"/backoffice/v2/activities/{activity.id}", {"state": "COMPLETED"}, format="json")

    assert response.status_code == 200, response.content
    step = Activity.objects.get(pk=activity.pk).state_history.last()
    assert (step.state, acted_by(step)) == ("COMPLETED", "Jo Doe through the back-office v2 API")
    assert (
        history_lines(activity)[0].text
        == "Jo Doe through the back-office v2 API changed the state from Pending to Completed"
    )


def test_a_crm_key_processes_a_queue_entry(crm, make_queue_entry):
    entry = make_queue_entry(number="1")

    response = crm.post("communications/queue/process", {"communication_queue_identifier": {"number": "1"}})

    assert response.status_code == 200, response.content
    snapshot = QueueEntry.objects.get(pk=entry.pk).history.order_by("history_date").last()
    assert (snapshot.state, snapshot.actor_path, snapshot.actor_name) == ("COMPLETED", "crm", "test key")
    assert (
        history_lines(entry)[0].text == "API key 'test key' (CRM.COM API) changed the state from Pending to Completed"
    )


def test_a_crm_login_token_names_the_user(anonymous, make_communication, django_user_model):
    django_user_model.objects.create_user("clerk", password="s3cret-pass")
    login = anonymous.post("/crmapi/rest/v2/authentication/login", {"username": "clerk", "password": "s3cret-pass"})
    token = login.json()["data"]["token"]
    communication = make_communication(state="DRAFT")

    response = anonymous.post(
        "/crmapi/rest/v2/communications/complete",
        {"token": token, "communication_identifier": {"id": communication.id.hex.upper()}},
        format="json",
    )

    assert response.status_code == 200, response.content
    latest = history_lines(communication)[0].text
    assert latest.startswith("clerk through the CRM.COM API changed ")
    assert "the state from Draft to Completed" in latest


def test_the_letters_api_delivers_a_correspondence(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend.post(f"/backend/api/v1/correspondence/{correspondence.id}?action=deliver")

    assert response.status_code == 200, response.content
    change = correspondence.status_changes.get(status="delivered")
    assert acted_by(change) == "API key 'test key' (letters API)"
    assert history_lines(correspondence)[0].text.startswith("API key 'test key' (letters API) changed the delivered on")


def test_the_caller_acts_only_for_its_own_request(backoffice):
    backoffice.post("/backoffice/v2/contacts", PERSON, format="json")

    assert current_actor() == SYSTEM
