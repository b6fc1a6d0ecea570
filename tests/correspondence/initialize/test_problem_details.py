"""The family's errors: RFC 7807 problem details, whatever went wrong and wherever."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_path_under_the_family_is_a_404_problem(altinn):
    response = altinn.get("/correspondence/api/v1/nothing/here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert (body["title"], body["instance"]) == ("Not Found", "/correspondence/api/v1/nothing/here")


def test_a_method_the_path_does_not_take_is_a_405_problem(altinn):
    response = altinn.put("/correspondence/api/v1/correspondence", {}, format="json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Method Not Allowed"


def test_an_accept_header_we_cannot_answer_is_a_406_problem(altinn):
    response = altinn.get("/correspondence/api/v1/correspondence", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


def test_an_invalid_key_is_401_with_the_bearer_challenge(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer ck_live_not-a-key")
    response = anonymous.get("/correspondence/api/v1/correspondence")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == "Invalid API key."


def test_options_is_a_405_problem_not_a_crash(altinn):
    response = altinn.options("/correspondence/api/v1/correspondence/8d5c3c5e-0000-4000-8000-000000000000/confirm")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
