"""Input no client should send, refused in the v2 family's own error body with a 400, never a 500: a body nested
100,000 deep, a lone surrogate anywhere in a body, a page number past any list."""

import pytest

from accounts.models import Contact

pytestmark = pytest.mark.django_db

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT])
def test_a_body_nested_100000_deep_is_a_400(backoffice, body):
    response = backoffice.generic("POST", "/backoffice/v2/contacts", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "message": "The request body is not valid JSON: it is nested too deeply",
        "error": "CRM.EXCEPTIONS.INVALIDREQUESTEXCEPTION",
        "parameters": [],
    }
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('{"first_name": "\\ud800", "last_name": "Smith"}', "first_name"),
        ('{"first_name": "Jo", "last_name": "Smith", "addresses": [{"city": "x\\udfffy"}]}', "addresses[0].city"),
        ('{"first_name": "Jo", "last_name": "Smith", "\\ud800": 1}', "'\\ud800'"),
    ],
)
def test_a_lone_surrogate_anywhere_in_a_body_is_a_400_naming_where(backoffice, body, where):
    response = backoffice.generic("POST", "/backoffice/v2/contacts", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDREQUESTEXCEPTION"
    assert response.json()["message"] == (
        f"The request body is not valid JSON: {where} holds a lone surrogate (an unpaired \\ud800-\\udfff escape)"
    )
    assert not Contact.objects.exists()


def test_a_surrogate_pair_is_a_character_and_accepted(backoffice):
    body = '{"first_name": "\\ud83d\\ude00", "last_name": "Smith"}'

    response = backoffice.generic("POST", "/backoffice/v2/contacts", body, content_type="application/json")

    assert response.status_code == 201
    assert Contact.objects.get().first_name == "\U0001f600"


@pytest.mark.parametrize("path", ["/backoffice/v2/activities/", "/backoffice/v2/contacts", "/backoffice/v2/insights"])
def test_a_page_past_any_list_is_a_400_naming_page(backoffice, path):
    response = backoffice.get(f"{path}?page=99999999999999999999")

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "message": "page may be at most 10000000.",
        "error": "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION",
        "parameters": ["page"],
    }


def test_the_last_page_allowed_is_answered_empty(backoffice, contact):
    response = backoffice.get("/backoffice/v2/contacts?page=10000000&size=100")

    assert response.status_code == 200
    assert response.json()["content"] == []
