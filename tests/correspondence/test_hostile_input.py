"""Input no client should send, refused in the letters family's own error body with a 400, never a 500: a body nested
100,000 deep, a lone surrogate, an offset past any list."""

import pytest

from correspondence.models import Correspondence

pytestmark = pytest.mark.django_db

DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


def test_a_body_nested_100000_deep_is_a_400(backend, contact):
    response = backend.generic(
        "POST", f"/backend/api/v1/customers/{contact.id}/correspondence/", DEEP_OBJECT, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid Request",
        "error_code": 400001,
        "hint": "The request body is not valid JSON: it is nested too deeply",
    }
    assert not Correspondence.objects.exists()


def test_a_lone_surrogate_in_a_body_is_a_400(backend, contact):
    body = '{"title": "Dear \\ud800"}'

    response = backend.generic(
        "POST", f"/backend/api/v1/customers/{contact.id}/correspondence/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "title holds a lone surrogate" in response.json()["hint"]
    assert not Correspondence.objects.exists()


@pytest.mark.parametrize("path", ["/backend/api/v1/correspondence/", "/backend/api/v1/customers/{}/correspondence/"])
def test_an_offset_past_any_list_is_a_400_naming_offset(backend, contact, path):
    response = backend.get(f"{path.format(contact.id)}?offset=99999999999999999999")

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid Value",
        "error_code": 400002,
        "hint": "offset may be at most 1000000000.",
    }
