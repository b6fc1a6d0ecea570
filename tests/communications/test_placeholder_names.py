"""Unrestricted parameters named in any script render in their placeholders (`#unrestricted_string.ονομα`); a name
no placeholder can spell (a space, a dot, punctuation) is refused before anything is written."""

import pytest

from communications.models import Communication, UnrestrictedParameter

pytestmark = pytest.mark.django_db


def create(crm, contact, subject, parameters):
    return crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": subject,
            "content": "Notes",
            "unrestricted_parameter_set": parameters,
        },
    )


def test_a_greek_name_renders(crm, contact):
    response = create(
        crm,
        contact,
        "Γεια σου #unrestricted_string.ονομα, #unrestricted_float.ποσό € due #unrestricted_date.λήξη_1.",
        [
            {"type": "STRING", "name": "ονομα", "string_value": "Μαρία"},
            {"type": "FLOAT", "name": "ποσό", "float_value": "12.5"},
            {"type": "DATE", "name": "λήξη_1", "date_value": "2024-01-15T08:30:00"},
        ],
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["subject"] == "Γεια σου Μαρία, 12.5 € due Mon Jan 15 08:30:00 EET 2024."
    assert Communication.objects.get().subject == response.json()["data"]["subject"]


def test_names_in_other_scripts_render_too(crm, contact):
    response = create(
        crm,
        contact,
        "#unrestricted_string.имя #unrestricted_string.名前 #unrestricted_string.navn_ø",
        [
            {"type": "STRING", "name": "имя", "string_value": "Ivan"},
            {"type": "STRING", "name": "名前", "string_value": "Yuki"},
            {"type": "STRING", "name": "navn_ø", "string_value": "Ørjan"},
        ],
    )

    assert response.json()["data"]["subject"] == "Ivan Yuki Ørjan"


@pytest.mark.parametrize("name", ["first name", "a.b", "price€", "x-y", "tab\tname"])
def test_a_name_no_placeholder_can_spell_is_refused(crm, contact, name):
    response = create(crm, contact, "Hello", [{"type": "STRING", "name": name, "string_value": "v"}])

    assert response.status_code == 400, response.content
    status = response.json()["status"]
    assert (status["code"], status["description"]) == ("INVALID_VALUE", "unrestricted_parameter_set.name")
    assert "letters (in any script), digits and underscores" in status["message"]
    assert not Communication.objects.exists() and not UnrestrictedParameter.objects.exists()


def test_renaming_a_parameter_to_such_a_name_is_refused(crm, make_communication):
    draft = make_communication(parameters=[{"type": "STRING", "name": "ονομα", "string_value": "Μαρία"}])

    response = crm.post(
        "communications/update",
        {
            "communication_identifier": {"number": draft.number},
            "unrestricted_parameter_set": [
                {"action": "update", "unrestricted_parameter_identifier": {"name": "ονομα"}, "name": "full name"}
            ],
        },
    )

    assert response.status_code == 400
    assert UnrestrictedParameter.objects.get().name == "ονομα"
