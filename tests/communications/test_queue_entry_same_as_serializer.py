"""The queue's answers (get_latest, show, process) are built by plain code; QueueEntrySerializer stays the
schema. One entry with every part filled, and a bare one, read the same both ways, byte for byte and in order."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from rest_framework.renderers import JSONRenderer

from accounts.models import Address, ApiKey
from communications import selectors
from communications.api.crm.serializers import QueueEntrySerializer
from communications.models import Communication, QueueEntry

pytestmark = pytest.mark.django_db


def as_the_serializer_shows(entry, is_test=False) -> str:
    record = selectors.queue_entries(is_test).get(pk=entry.pk)
    return json.dumps(json.loads(JSONRenderer().render(QueueEntrySerializer(record).data)))


def answered(response) -> str:
    assert response.status_code == 200, response.content
    return json.dumps(response.json()["data"])


def test_every_part_of_an_entry_reads_as_the_serializer_shows_it(crm, make_contact, make_account, make_queue_entry):
    contact = make_contact(
        title="Mr", middle_name="Q", date_of_birth=date(1980, 2, 29), gender="MALE", id_number="790101-1234"
    )
    Address.objects.create(contact=contact, address_line_1="1 Main Street", country_code="CYP")
    make_account(contact)
    entry = make_queue_entry(number="7", contact=contact, subject="Your bill")
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark", email="kathy@example.com")
    QueueEntry.objects.filter(pk=entry.pk).update(
        error_code="E1", error_description="Busy line", created_by_user=clerk, updated_by_key=ApiKey.objects.first()
    )

    [latest] = [
        item
        for item in crm.get("communications/queue/get_latest", media="EMAIL", number=100).json()["data"]
        if item["number"] == "7"
    ]
    shown = answered(crm.get("communications/queue/show", communication_queue_identifier="number=7"))

    expected = as_the_serializer_shows(entry)
    assert json.dumps(latest) == expected
    assert shown == expected
    data = json.loads(expected)
    assert data["log_information"]["created_by_user"]["username"] == "clerk"
    assert data["log_information"]["updated_by_user"]["username"].startswith("api-key:")
    contact_shown = data["communication"]["contact_information"]
    assert contact_shown["life_cycle_state"] == "FINANCIAL"
    assert contact_shown["demographics"]["country_of_residence"]["three_character_code"] == "CYP"
    assert contact_shown["demographics"]["date_of_birth"] == {"month": 2, "day": 29, "year": 1980}

    processed = answered(crm.post("communications/queue/process", {"communication_queue_identifier": {"number": "7"}}))

    assert processed == as_the_serializer_shows(entry)
    assert json.loads(processed)["life_cycle_state"] == "COMPLETED"


def test_a_bare_entry_of_a_company_in_test_mode_reads_as_the_serializer_shows_it(
    crm_test_mode, make_contact, make_queue_entry
):
    company = make_contact(is_test=True, contact_type="COMPANY", company_name="Acme Ltd", first_name="")
    entry = make_queue_entry(number="8", is_test=True, contact=company)
    QueueEntry.objects.filter(pk=entry.pk).update(external_system=None)
    Communication.objects.filter(pk=entry.communication_id).update(subject="")

    shown = answered(crm_test_mode.get("communications/queue/show", communication_queue_identifier="number=8"))

    assert shown == as_the_serializer_shows(entry, is_test=True)
    data = json.loads(shown)
    assert data["communication_queue_external_system"] is None
    assert data["communication"]["subject"] is None
    assert data["communication"]["contact_information"]["name"] == "Acme Ltd"
    assert data["communication"]["contact_information"]["life_cycle_state"] == "MARKETING"

    rejected = answered(
        crm_test_mode.post(
            "communications/queue/reject",
            {"communication_queue_identifier": {"number": "8"}, "error_code": "E2", "error_description": "No answer"},
        )
    )

    assert rejected == as_the_serializer_shows(entry, is_test=True)
    assert (json.loads(rejected)["error_code"], json.loads(rejected)["life_cycle_state"]) == ("E2", "REJECTED")


def test_a_page_of_several_entries_reads_as_the_serializer_shows_them(crm, make_contact, make_queue_entry):
    clerk = User.objects.create_user("clerk", first_name="Kathy", last_name="Clark")
    key = ApiKey.objects.first()
    for number in range(1, 8):
        contact = make_contact(title="Ms" if number % 2 else "", middle_name="Q" if number % 3 else "")
        entry = make_queue_entry(number=str(number), contact=contact, subject=f"Bill {number}")
        QueueEntry.objects.filter(pk=entry.pk).update(
            created_by_user=clerk if number % 2 else None,
            updated_by_user=clerk if number % 3 == 0 else None,
            updated_by_key=key if number % 3 else None,
            state="COMPLETED" if number == 4 else "PENDING",
        )

    page = crm.get("communications/queue/list", media="EMAIL", number_of_results=3, offset=2)
    latest = crm.get("communications/queue/get_latest", media="EMAIL", number=4)

    expected = selectors.queue_entries(False).order_by("-created_on", "-number")
    assert answered(page) == _shown(expected[2:5])
    assert answered(latest) == _shown(expected.filter(state="PENDING")[:4])
    assert len(json.loads(answered(page))) == 3


def _shown(records) -> str:
    return json.dumps(json.loads(JSONRenderer().render(QueueEntrySerializer(records, many=True).data)))
