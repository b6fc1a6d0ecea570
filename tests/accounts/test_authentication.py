"""Who may call the back-office v2 family, and how each way of authenticating behaves."""

import pytest
from django.utils import timezone

from accounts.models import ApiKey
from tests.clients import BackofficeClient

pytestmark = pytest.mark.django_db

UNAUTHORIZED = "CRM.EXCEPTIONS.UNAUTHORIZEDEXCEPTION"


def test_no_credentials_is_401_in_the_v2_body(anonymous, contact):
    response = anonymous.get(f"/backoffice/v2/contacts/{contact.id}/accounts")
    assert response.status_code == 401
    assert response.json()["error"] == UNAUTHORIZED
    assert response["WWW-Authenticate"]


def test_unknown_api_key_is_401(anonymous, contact):
    anonymous.credentials(HTTP_API_KEY="ck_live_not-a-key")
    assert anonymous.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 401


def test_revoked_api_key_is_401(api_key, contact):
    ApiKey.objects.update(revoked_on=timezone.now())
    client = BackofficeClient(api_key)
    assert client.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 401


def test_key_without_the_family_scope_is_403(backoffice_as, contact):
    client = backoffice_as("communications.read", "communications.write")

    response = client.get(f"/backoffice/v2/contacts/{contact.id}")

    assert response.status_code == 403
    assert response.json()["error"] == "CRM.EXCEPTIONS.FORBIDDENEXCEPTION"


def test_read_scope_does_not_allow_writes(backoffice_as, contact):
    client = backoffice_as("backoffice.read")

    assert client.get(f"/backoffice/v2/contacts/{contact.id}/accounts").status_code == 200
    response = client.post(f"/backoffice/v2/contacts/{contact.id}/accounts", {"currency_code": "EUR"}, format="json")
    assert response.status_code == 403
    assert not contact.accounts.exists()


def test_last_used_is_recorded(backoffice, contact):
    backoffice.get(f"/backoffice/v2/contacts/{contact.id}")
    assert ApiKey.objects.get().last_used_on is not None


def test_login_issues_a_jwt_that_authenticates(anonymous, contact, django_user_model):
    django_user_model.objects.create_user("j_doe@crm.com", password="correct horse")

    login = anonymous.post("/backoffice/v2/users/login", {"username": "j_doe@crm.com", "password": "correct horse"})

    assert login.status_code == 200
    assert login.json()["token_type"] == "Bearer"
    assert login.json()["expires_in"] == 3600
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access_token']}")
    assert anonymous.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 200


def test_login_with_a_wrong_password_is_401(anonymous, django_user_model):
    django_user_model.objects.create_user("j_doe@crm.com", password="correct horse")
    response = anonymous.post("/backoffice/v2/users/login", {"username": "j_doe@crm.com", "password": "wrong"})
    assert response.status_code == 401
    assert response.json()["error"] == UNAUTHORIZED
    assert "access_token" not in response.json()


def test_login_of_an_inactive_user_is_401(anonymous, django_user_model):
    django_user_model.objects.create_user("gone", password="correct horse", is_active=False)
    assert (
        anonymous.post("/backoffice/v2/users/login", {"username": "gone", "password": "correct horse"}).status_code
        == 401
    )


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_invalid_jwt_is_401(anonymous, contact, token):
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert anonymous.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 401


def test_expired_jwt_is_401(anonymous, contact, django_user_model, settings):
    from datetime import timedelta

    from accounts.credentials import issue_jwt

    settings.JWT_LIFETIME = timedelta(seconds=-1)
    token, _ = issue_jwt(django_user_model.objects.create_user("late", password="x"))
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert anonymous.get(f"/backoffice/v2/contacts/{contact.id}").status_code == 401


def test_crm_login_issues_a_token_in_the_envelope(anonymous, django_user_model):
    django_user_model.objects.create_user("operator", password="correct horse")

    response = anonymous.post(
        "/crmapi/rest/v2/authentication/login", {"username": "operator", "password": "correct horse"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == {"code": "OK", "message": "", "description": ""}
    token = body["data"]["token"]
    assert len(token) == 32 and token == token.upper()


def test_crm_login_with_a_wrong_password(anonymous, django_user_model):
    django_user_model.objects.create_user("operator", password="correct horse")

    response = anonymous.post(
        "/crmapi/rest/v2/authentication/login", {"username": "operator", "password": "nope"}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["status"]["code"] == "INVALID_TOKEN"
    assert response.json()["data"] is None


def test_crm_login_missing_password(anonymous):
    response = anonymous.post("/crmapi/rest/v2/authentication/login", {"username": "operator"}, format="json")
    assert response.status_code == 400
    assert response.json()["status"]["code"] == "MISSING_PARAMETER"
