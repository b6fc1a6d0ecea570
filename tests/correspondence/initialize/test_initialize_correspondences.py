"""POST /correspondence/api/v1/correspondence: one correspondence per recipient, answered as the seed documents."""

import pytest

from accounts.models import Contact
from correspondence.models import Correspondence, Dispatch, DispatchedCorrespondence, DispatchedCorrespondenceStatus
from correspondence.recipients import ORGANISATION_URN, PERSON_URN

from .numbers import organisation_numbers

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_its_own_correspondence(altinn, initialize, make_organisation, make_person):
    company, person = make_organisation(1), make_person(2)
    recipients = [f"0192:{company.org_number}", f"{PERSON_URN}{person.id_number}"]

    response = initialize(altinn, recipients)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"correspondences", "attachmentIds"}
    assert body["attachmentIds"] == []
    assert [c["recipient"] for c in body["correspondences"]] == [f"0192:{company.org_number}", person.id_number]
    for entry in body["correspondences"]:
        assert entry["status"] == "ReadyForPublish"
        assert entry["notifications"] == []
    first, second = (Correspondence.objects.get(pk=c["correspondenceId"]) for c in body["correspondences"])
    assert (first.customer, second.customer) == (company, person)


def test_the_correspondence_is_a_letter_of_the_customer(altinn, initialize, make_organisation):
    company = make_organisation(1)

    entry = initialize(altinn, [f"{ORGANISATION_URN}{company.org_number}"]).json()["correspondences"][0]

    letter = Correspondence.objects.get(pk=entry["correspondenceId"])
    assert letter.correspondence_type.name == "Digital message"
    assert letter.number == "1"
    assert letter.content == {
        "title": "Your new tariff",
        "summary": "Prices change on 1 March",
        "body": "# Dear customer\n\nYour tariff changes on 1 March.",
    }
    assert entry["recipient"] == f"0192:{company.org_number}", "the URN form is answered as 0192:{orgNumber}"


def test_numbers_continue_the_customers_own_series(altinn, initialize, make_organisation):
    company = make_organisation(1)
    initialize(altinn, [f"0192:{company.org_number}"])
    initialize(altinn, [f"0192:{company.org_number}"])
    assert sorted(company.correspondence.values_list("number", flat=True)) == ["1", "2"]


def test_the_status_history_starts_initialized_then_ready(altinn, initialize, make_person):
    person = make_person(3)
    entry = initialize(altinn, [person.id_number]).json()["correspondences"][0]
    dispatched = DispatchedCorrespondence.objects.get(pk=entry["correspondenceId"])
    assert list(dispatched.status_events.values_list("status", flat=True)) == [
        DispatchedCorrespondenceStatus.INITIALIZED,
        DispatchedCorrespondenceStatus.READY_FOR_PUBLISH,
    ]


def test_shared_attachments_are_named_in_the_answer(altinn, initialize, upload, make_person):
    first = upload(altinn).json()["attachmentId"]
    second = upload(altinn, file_name="terms.pdf").json()["attachmentId"]

    body = initialize(altinn, [make_person(4).id_number], existing_attachments=[first, second]).json()

    assert body["attachmentIds"] == [first, second]
    dispatch = Dispatch.objects.get()
    assert {str(a.pk) for a in dispatch.attachments.all()} == {first, second}
    overview = altinn.get(f"/correspondence/api/v1/attachment/{first}").json()
    assert overview["correspondenceIds"] == [body["correspondences"][0]["correspondenceId"]]


def test_a_test_mode_key_matches_test_customers_only(altinn_as, initialize, make_organisation):
    client = altinn_as(mode="test")
    live, test = make_organisation(5), make_organisation(6, is_test=True)

    assert initialize(client, [f"0192:{live.org_number}"]).status_code == 404
    response = initialize(client, [f"0192:{test.org_number}"])

    assert response.status_code == 200
    assert DispatchedCorrespondence.objects.get().is_test is True
    assert Correspondence.objects.get().is_test is True


def test_five_hundred_recipients_in_one_request(altinn, initialize):
    numbers = organisation_numbers(500)
    Contact.objects.bulk_create(Contact(contact_type="COMPANY", company_name=n, org_number=n) for n in numbers)

    response = initialize(altinn, [f"0192:{number}" for number in numbers])

    assert response.status_code == 200
    assert len(response.json()["correspondences"]) == 500
    assert DispatchedCorrespondence.objects.count() == Correspondence.objects.count() == 500


def test_without_credentials_is_401_and_nothing_is_created(anonymous, initialize, make_person):
    response = initialize(anonymous, [make_person(7).id_number])
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not Dispatch.objects.exists()


def test_a_read_only_key_is_403_and_nothing_is_created(altinn_as, initialize, make_person):
    response = initialize(altinn_as("correspondence.read"), [make_person(8).id_number])
    assert response.status_code == 403
    assert response.json()["detail"] == "The credentials do not grant the scope this request needs."
    assert not Dispatch.objects.exists()


def test_the_altinn_scope_name_is_enough_to_initialize(altinn_as, initialize, make_person):
    response = initialize(altinn_as("altinn:correspondence.write"), [make_person(9).id_number])
    assert response.status_code == 200
