"""Names, codes, titles and subjects are kept on one line: a line break or another control character in one is
refused naming the field, from any entry point, and nothing is written."""

import pytest

from accounts.errors import InvalidValue
from accounts.models import Contact
from accounts.services import create_contact
from activities.models import Activity
from communications.models import Communication

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Jo\nSmith", "Jo\rSmith", "Jo\tSmith", "Bell\x07", "Jo\u2028Smith", "Del\x7f"])
def test_a_contact_named_with_a_control_character_is_refused_in_v2(backoffice, name):
    response = backoffice.post("/backoffice/v2/contacts", {"first_name": name, "last_name": "Smith"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "message": "first_name: Must be a single line, without line breaks or control characters.",
        "error": "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION",
        "parameters": ["first_name", "Must be a single line, without line breaks or control characters."],
    }
    assert not Contact.objects.exists()


def test_the_service_refuses_it_too_so_every_entry_point_does():
    with pytest.raises(InvalidValue) as refused:
        create_contact(is_test=False, first_name="Jo", last_name="Smith\n", addresses=[])

    assert refused.value.field == "last_name"
    assert not Contact.objects.exists()


def test_an_address_line_with_a_line_break_leaves_no_contact_behind(backoffice):
    body = {
        "first_name": "Jo",
        "last_name": "Smith",
        "addresses": [{"address_line_1": "1 Main St\nFlat 2", "country_code": "CYP"}],
    }

    response = backoffice.post("/backoffice/v2/contacts", body, format="json")

    assert response.status_code == 400
    assert response.json()["parameters"][0] == "addresses.address_line_1"
    assert not Contact.objects.exists()


def test_an_activity_name_with_a_line_break_is_refused(backoffice, site_visit, contact):
    body = {
        "name": "Call\nnow",
        "type_id": str(site_visit.id),
        "scheduled_on": {"from_date": 1592809457},
        "linked_to": [{"type": "CONTACT", "id": str(contact.id)}],
    }

    response = backoffice.post("/backoffice/v2/activities", body, format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "name: Must be a single line, without line breaks or control characters."
    assert not Activity.objects.exists()


def test_a_communication_subject_with_a_line_break_is_refused_before_anything_is_queued(crm, contact):
    body = {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "OUTGOING",
        "media": "EMAIL",
        "to": "jo@example.com",
        "subject": "Your bill\nBcc: everyone@example.com",
        "content": "Dear customer",
    }

    response = crm.post("communications/create", body)

    assert response.status_code == 400
    assert response.json()["status"] == {
        "code": "INVALID_VALUE",
        "message": "subject: Must be a single line, without line breaks or control characters.",
        "description": "subject, Must be a single line, without line breaks or control characters.",
    }
    assert not Communication.objects.exists()


def test_multi_line_text_keeps_its_lines(crm, contact):
    body = {
        "contact_information_identifier": {"id": contact.id.hex.upper()},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Call",
        "content": "First line.\nSecond line.",
    }

    response = crm.post("communications/create", body)

    assert response.status_code == 200
    assert Communication.objects.get().content == "First line.\nSecond line."


def test_the_admin_shows_the_rule_as_an_error_on_the_field(staff):
    response = staff.post(
        "/admin/accounts/contact/add/",
        {"contact_type": "PERSON", "first_name": "Jo\tSmith", "last_name": "Smith"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["first_name"] == ["Must be a single line, without line breaks or control characters."]
    assert not Contact.objects.exists()
