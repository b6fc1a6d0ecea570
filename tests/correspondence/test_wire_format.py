"""The family's wire format outside the endpoints: unknown paths, methods, large bodies."""

import pytest

from .helpers import API

pytestmark = pytest.mark.django_db


def test_an_unknown_path_is_404001_in_the_familys_body(backend):
    response = backend.get(f"{API}/invoices/")

    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "error_code": 404001, "hint": "No such endpoint."}


def test_a_method_not_offered_is_405001(backend, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend.put(f"{API}/correspondence/{correspondence.id}", {}, format="json")

    assert response.status_code == 405
    assert response.json()["error_code"] == 405001


def test_a_pdf_is_offered_only_when_reading_one_correspondence(backend, contact):
    response = backend.get(f"{API}/customers/{contact.id}/correspondence/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["error_code"] == 406001


def test_a_body_over_the_limit_is_413(backend, contact, letter_type, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"correspondenceType": "Standard letter", "content": {"subject": "S", "body": "x" * 2000}}

    response = backend.post(f"{API}/customers/{contact.id}/correspondence/", body, format="json")

    assert response.status_code == 413
    assert response.json()["error_code"] == 413001
