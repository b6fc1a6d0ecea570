import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_the_broker(anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert "reachable" in body["broker"]


def test_healthz_reports_an_unreachable_broker(anonymous, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    body = anonymous.get("/healthz").json()

    assert body["broker"]["reachable"] is False
    assert body["broker"]["url"].startswith("redis://127.0.0.1:1")


def test_healthz_reports_a_reachable_redis_broker(anonymous, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert anonymous.get("/healthz").json()["broker"]["reachable"] is True


def test_schema_and_docs_are_served(anonymous):
    schema = anonymous.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/backoffice/v2/accounts/{id}" in schema.json()["paths"]
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
