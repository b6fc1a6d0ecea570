"""POST communications/complete: DRAFT → COMPLETED only, then queued for its external system or sent by us."""

import threading

import pytest
from django.db import connection

from communications import services
from communications.models import Communication, OutboundMessage, QueueEntry

pytestmark = pytest.mark.django_db


def test_seed_example_completes_a_draft_and_sends_it(
    crm, make_communication, smtp_server, django_capture_on_commit_callbacks
):
    communication = make_communication(number="41")
    body = '{\n"token":"{{token}}",\n"communication_identifier":{"number":"41"}\n}'

    with django_capture_on_commit_callbacks(execute=True):
        response = crm.post("communications/complete", body)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["life_cycle_state"], data["number"], data["id"]) == ("COMPLETED", "41", communication.id.hex.upper())
    assert data["contact_information"]["first_name"] == "John"
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == [communication.to_address]
    assert Communication.objects.get(pk=communication.pk).sending_status == "SENT"


def test_a_draft_with_an_external_system_gets_a_pending_queue_entry(crm, make_communication, seed_names):
    communication = make_communication(queue_external_system=seed_names["conax"])

    response = crm.post("communications/complete", {"communication_identifier": {"number": communication.number}})

    assert response.status_code == 200
    entry = QueueEntry.objects.get()
    assert (entry.state, entry.communication_id, entry.external_system_id) == (
        "PENDING",
        communication.pk,
        seed_names["conax"].pk,
    )
    assert OutboundMessage.objects.count() == 0


def test_incoming_and_non_message_media_are_not_sent(crm, make_communication):
    communication = make_communication(media="PHONE", direction="INCOMING")

    response = crm.post("communications/complete", {"communication_identifier": {"number": communication.number}})

    assert response.status_code == 200
    assert OutboundMessage.objects.count() == 0


def test_completing_a_completed_communication_is_an_illegal_transition(crm, make_communication):
    communication = make_communication(state="COMPLETED", media="PHONE")

    response = crm.post("communications/complete", {"communication_identifier": {"number": communication.number}})

    assert response.status_code == 400
    assert response.json()["status"] == {
        "code": "INVALID_STATE_TRANSITION",
        "message": f"Communication {communication.number} is COMPLETED; only DRAFT communications can be completed.",
        "description": "communication_identifier",
    }


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_completions_send_one_email(make_communication, smtp_server):
    communication = make_communication()
    outcomes = []
    barrier = threading.Barrier(2)

    def complete():
        barrier.wait()
        try:
            services.complete_communication(communication)
            outcomes.append("completed")
        except Exception as error:  # the loser's error is the point of the test
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["IllegalTransition", "completed"]
    assert OutboundMessage.objects.count() == 1
    assert len(smtp_server.received) == 1
