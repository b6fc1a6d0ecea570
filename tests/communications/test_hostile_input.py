"""Input no client should send, refused in CRM.COM's envelope, never a 500: a body nested 100,000 deep, a lone
surrogate in a body or in an identifier a query carries as JSON, an offset past any list."""

import pytest

from communications.models import Communication

pytestmark = pytest.mark.django_db

DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


def test_a_body_nested_100000_deep_is_refused_in_the_envelope(crm):
    url = f"/crmapi/rest/v2/communications/create?token={crm.token}"

    response = crm.client.generic("POST", url, DEEP_OBJECT, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["data"] is None
    assert response.json()["status"]["message"] == "The request body is not valid JSON: it is nested too deeply"
    assert not Communication.objects.exists()


def test_a_lone_surrogate_in_a_body_is_refused(crm, contact):
    body = (
        f'{{"token": "{crm.token}", "contact_identifier": {{"id": "{contact.id}"}}, "direction": "INCOMING", '
        '"media": "PHONE", "subject": "ok", "content": "x\\ud800"}'
    )

    response = crm.post("communications/create", body)

    assert response.status_code == 400
    assert "content holds a lone surrogate" in response.json()["status"]["message"]
    assert not Communication.objects.exists()


@pytest.mark.parametrize("identifier", ['{"number": "\\ud800"}', '{"id":' * 100_000 + "1" + "}" * 100_000])
def test_an_identifier_given_as_json_in_a_query_is_refused_when_malformed(crm, identifier):
    response = crm.get("communications/show", communication_identifier=identifier)

    assert response.status_code == 400
    assert response.json() == {
        "status": {
            "code": "INVALID_VALUE",
            "message": "communication_identifier is not a valid JSON object.",
            "description": "communication_identifier",
        },
        "data": None,
    }


@pytest.mark.parametrize("method", ["communications/list", "communications/queue/list"])
def test_an_offset_past_any_list_is_refused_naming_offset(crm, contact, method):
    response = crm.get(method, contact_information_identifier=f"id={contact.id}", media="EMAIL", offset=10**20)

    assert response.status_code == 400
    assert response.json()["status"] == {
        "code": "INVALID_VALUE",
        "message": "offset may be at most 1000000000.",
        "description": "offset",
    }
