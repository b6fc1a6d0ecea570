"""Back-office JWTs are signed with a key of their own and name their issuer: a token made with the public string
the settings once defaulted to, or with SECRET_KEY itself, opens nothing; a key being rotated out still verifies."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest

pytestmark = pytest.mark.django_db

PUBLIC_DEFAULT = "insecure-development-key-set-SECRET_KEY-in-production"
UNAUTHORIZED = "CRM.EXCEPTIONS.UNAUTHORIZEDEXCEPTION"


@pytest.fixture
def login_user(django_user_model):
    return django_user_model.objects.create_user("j_doe@crm.com", password="correct horse")


def forged(user, key: str, **claims) -> str:
    now = datetime.now(UTC)
    body = {"sub": str(user.pk), "aud": "backoffice", "iat": now, "exp": now + timedelta(hours=1), **claims}
    return jwt.encode(body, key, algorithm="HS256")


def contacts(client, token: str):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/backoffice/v2/contacts")


@pytest.mark.parametrize("issuer", [None, "correspondence-backoffice"], ids=["as-before", "with-our-issuer"])
def test_a_token_signed_with_the_old_public_default_is_refused(anonymous, login_user, issuer):
    claims = {"iss": issuer} if issuer else {}

    response = contacts(anonymous, forged(login_user, PUBLIC_DEFAULT, **claims))

    assert response.status_code == 401
    assert response.json()["error"] == UNAUTHORIZED


def test_a_token_signed_with_the_secret_key_itself_is_refused(anonymous, login_user, settings):
    response = contacts(anonymous, forged(login_user, settings.SECRET_KEY, iss=settings.JWT_ISSUER))

    assert response.status_code == 401


def test_a_token_with_our_key_but_no_issuer_or_another_is_refused(anonymous, login_user, settings):
    assert contacts(anonymous, forged(login_user, settings.JWT_SIGNING_KEY)).status_code == 401
    assert contacts(anonymous, forged(login_user, settings.JWT_SIGNING_KEY, iss="someone-else")).status_code == 401
    assert contacts(anonymous, forged(login_user, settings.JWT_SIGNING_KEY, iss=settings.JWT_ISSUER)).status_code == 200


def test_the_login_token_is_signed_with_the_jwt_key_and_names_the_issuer(anonymous, login_user, settings):
    login = anonymous.post("/backoffice/v2/users/login", {"username": "j_doe@crm.com", "password": "correct horse"})
    token = login.json()["access_token"]

    claims = jwt.decode(token, settings.JWT_SIGNING_KEY, algorithms=["HS256"], audience="backoffice")
    assert claims["iss"] == settings.JWT_ISSUER
    assert claims["sub"] == str(login_user.pk)
    assert settings.JWT_SIGNING_KEY != settings.SECRET_KEY
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"], audience="backoffice")


def test_rotation_the_previous_key_verifies_until_it_is_dropped(anonymous, login_user, settings):
    settings.JWT_SIGNING_KEY = "the-old-key-" + "x" * 40
    login = anonymous.post("/backoffice/v2/users/login", {"username": "j_doe@crm.com", "password": "correct horse"})
    token = login.json()["access_token"]

    settings.JWT_SIGNING_KEY = "the-new-key-" + "y" * 40
    settings.JWT_SIGNING_KEY_FALLBACKS = ["the-old-key-" + "x" * 40]
    assert contacts(anonymous, token).status_code == 200

    settings.JWT_SIGNING_KEY_FALLBACKS = []
    assert contacts(anonymous, token).status_code == 401
