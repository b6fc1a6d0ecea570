"""Initialize without `content.language` or `notification.notificationTemplate`: as Altinn's own API, the language
is Norsk bokmål (`nb`) and the template CustomMessage (the sender's own texts)."""

import pytest

from correspondence.models import Dispatch

from .helpers import INITIALIZE_URL, initialize_body

pytestmark = pytest.mark.django_db


def test_without_a_language_the_correspondence_is_in_bokmal(altinn, make_person):
    body = initialize_body([make_person(1).id_number])
    del body["correspondence"]["content"]["language"]

    response = altinn.post(INITIALIZE_URL, body, format="json")

    assert response.status_code == 200, response.content
    correspondence_id = response.json()["correspondences"][0]["correspondenceId"]
    overview = altinn.get(f"/correspondence/api/v1/correspondence/{correspondence_id}").json()
    assert overview["content"]["language"] == "nb"
    assert Dispatch.objects.get().language == "nb"


def test_a_null_language_is_still_refused(altinn, make_person):
    body = initialize_body([make_person(1).id_number])
    body["correspondence"]["content"]["language"] = None

    response = altinn.post(INITIALIZE_URL, body, format="json")

    assert response.status_code == 400
    assert "correspondence.content.language" in response.json()["errors"]
    assert not Dispatch.objects.exists()


def test_without_a_template_the_senders_own_texts_are_used(altinn, make_person):
    person = make_person(1, email="kari@example.com")
    body = initialize_body(
        [person.id_number],
        notification={"notificationChannel": "Email", "emailSubject": "Nytt brev", "emailBody": "Du har fått brev."},
    )

    response = altinn.post(INITIALIZE_URL, body, format="json")

    assert response.status_code == 200, response.content
    (order,) = response.json()["correspondences"][0]["notifications"]
    assert order["status"] == "Success"
    assert Dispatch.objects.get().notification_template == "CustomMessage"


def test_without_a_template_the_custom_texts_are_still_required(altinn, make_person):
    person = make_person(1, email="kari@example.com")
    body = initialize_body([person.id_number], notification={"notificationChannel": "Email"})

    response = altinn.post(INITIALIZE_URL, body, format="json")

    assert response.status_code == 400
    assert not Dispatch.objects.exists()
