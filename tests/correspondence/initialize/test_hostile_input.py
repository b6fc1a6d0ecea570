"""Input no client should send, refused as Altinn's problem details with a 400, never a 500: a body nested 100,000
deep, a lone surrogate, an offset past any list."""

import pytest

from correspondence.models import Dispatch

pytestmark = pytest.mark.django_db

DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000
BAD_REQUEST = "https://tools.ietf.org/html/rfc9110#section-15.5.1"


def test_a_body_nested_100000_deep_is_a_400(altinn):
    response = altinn.generic(
        "POST", "/correspondence/api/v1/correspondence", DEEP_OBJECT, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": BAD_REQUEST,
        "title": "Bad Request",
        "status": 400,
        "detail": "The request body is not valid JSON: it is nested too deeply",
        "instance": "/correspondence/api/v1/correspondence",
    }
    assert not Dispatch.objects.exists()


def test_a_lone_surrogate_in_a_member_name_is_a_400(altinn):
    body = '{"correspondence": {"\\udc00": "x"}, "recipients": ["0192:991825827"]}'

    response = altinn.generic("POST", "/correspondence/api/v1/correspondence", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The request body is not valid JSON: correspondence.'\\udc00' holds a lone surrogate "
        "(an unpaired \\ud800-\\udfff escape)"
    )
    assert not Dispatch.objects.exists()


def test_an_offset_past_any_list_is_a_400_naming_offset(altinn):
    response = altinn.get("/correspondence/api/v1/correspondence?offset=99999999999999999999")

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["detail"]) == (400, "offset may be at most 1000000000.")
    assert body["errors"] == {"offset": ["offset may be at most 1000000000."]}
