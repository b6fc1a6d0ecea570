import pytest

from accounts.history_words import acted_by
from correspondence.models import Correspondence

from .helpers import API

pytestmark = pytest.mark.django_db


def act(client, correspondence, action, body=None):
    url = f"{API}/correspondence/{correspondence.id}?action={action}"
    return client.post(url, body, format="json") if body is not None else client.post(url)


def test_deliver_marks_it_delivered_and_returns_the_record(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    # The seed's curl example: no body, no content type.
    response = act(backend, correspondence, "deliver")

    assert response.status_code == 200
    assert response.json()["id"] == str(correspondence.id)
    assert response.json()["status"] == ["ready", "delivered"]
    change = correspondence.status_changes.get(status="delivered")
    assert change.active and change.note == "marked delivered"
    assert acted_by(change) == "API key 'test key' (letters API)"


def test_delivering_again_changes_nothing(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)
    act(backend, correspondence, "deliver")
    delivered_on = Correspondence.objects.get().delivered_on

    response = act(backend, correspondence, "deliver")

    assert response.status_code == 200
    assert Correspondence.objects.get().delivered_on == delivered_on
    assert correspondence.status_changes.filter(status="delivered").count() == 1


def test_deliver_before_ready_is_400502_and_changes_nothing(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact, render=False)

    response = act(backend, correspondence, "deliver")

    assert response.status_code == 400
    assert response.json()["error"] == "Invalid Action"
    assert response.json()["error_code"] == 400502
    assert "not ready" in response.json()["hint"]
    assert Correspondence.objects.get().delivered_on is None


@pytest.mark.parametrize("action", ["archive", ""])
def test_unknown_action_is_400501(backend, contact, make_correspondence, action):
    correspondence = make_correspondence(contact)

    response = act(backend, correspondence, action)

    assert response.status_code == 400
    assert response.json()["error_code"] == 400501
    assert response.json()["error"] == "Action Not Recognised"
    assert Correspondence.objects.get().status_names == ["ready"]


def test_deliver_needs_the_write_scope(backend_as, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = act(backend_as("letters.read"), correspondence, "deliver")

    assert response.status_code == 403
    assert response.json()["error_code"] == 403001
    assert Correspondence.objects.get().delivered_on is None
