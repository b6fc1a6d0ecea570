import uuid

import pytest

from accounts.models import Contact

pytestmark = pytest.mark.django_db

PERSON = {
    "code": "C123",
    "first_name": "John",
    "last_name": "Doe",
    "email": "j_doe@example.com",
    "addresses": [
        {"address_line_1": "Elia Papakyriakou", "town_city": "Nicosia", "postal_code": "2015", "country_code": "CYP"}
    ],
}


def test_create_then_read_a_contact(backoffice):
    response = backoffice.post("/backoffice/v2/contacts", PERSON, format="json")

    assert response.status_code == 201
    contact_id = response.json()["id"]
    body = backoffice.get(f"/backoffice/v2/contacts/{contact_id}").json()
    assert body["id"] == contact_id
    assert (body["code"], body["name"], body["type"]) == ("C123", "John Doe", "PERSON")
    assert body["addresses"][0]["country_code"] == "CYP"
    assert isinstance(body["created_on"], int)


def test_company_contact(backoffice):
    response = backoffice.post(
        "/backoffice/v2/contacts", {"type": "COMPANY", "company_name": "ASOS", "org_number": "123456789"}, format="json"
    )
    assert response.status_code == 201
    assert Contact.objects.get().full_name == "ASOS"


def test_duplicate_code_is_a_conflict(backoffice):
    backoffice.post("/backoffice/v2/contacts", PERSON, format="json")
    response = backoffice.post("/backoffice/v2/contacts", PERSON, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "CRM.EXCEPTIONS.ALREADYEXISTSEXCEPTION"
    assert Contact.objects.count() == 1


def test_blank_codes_do_not_collide(backoffice):
    for _ in range(2):
        response = backoffice.post("/backoffice/v2/contacts", {**PERSON, "code": ""}, format="json")
        assert response.status_code == 201
    assert Contact.objects.filter(code__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"addresses": [{"address_line_1": "x", "country_code": "ZZZ"}]}, "country_code"),
        ({"email": "not-an-email"}, "email"),
        ({"first_name": "", "last_name": ""}, "last_name"),
    ],
)
def test_invalid_contacts_are_refused_whole(backoffice, change, parameter):
    response = backoffice.post("/backoffice/v2/contacts", {**PERSON, **change}, format="json")
    assert response.status_code == 400
    assert parameter in response.json()["parameters"][0]
    assert not Contact.objects.exists()


def test_search_and_paging(backoffice, make_contact):
    make_contact(first_name="Anna", last_name="Berg")
    make_contact(first_name="Bo", last_name="Berglund")
    make_contact(first_name="Carl", last_name="Dahl")

    body = backoffice.get("/backoffice/v2/contacts?search_value=berg&sort=NAME&order=ASC").json()

    assert [c["name"] for c in body["content"]] == ["Anna Berg", "Bo Berglund"]
    assert body["paging"] == {"page": 1, "size": 10, "total": 2}


def test_add_address(backoffice, contact):
    response = backoffice.post(
        f"/backoffice/v2/contacts/{contact.id}/addresses",
        {"address_line_1": "1 High St", "town_city": "Leeds", "country_code": "GBR"},
        format="json",
    )
    assert response.status_code == 201
    assert contact.addresses.filter(pk=response.json()["id"], country_code="GBR").exists()


def test_unknown_contact(backoffice):
    missing = uuid.uuid4()
    response = backoffice.get(f"/backoffice/v2/contacts/{missing}")
    assert response.status_code == 404
    assert response.json()["parameters"] == ["contact", str(missing)]


def test_unknown_path_under_the_family_is_a_v2_404(backoffice):
    response = backoffice.get("/backoffice/v2/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"] == "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION"
