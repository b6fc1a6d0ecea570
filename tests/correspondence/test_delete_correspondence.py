import pytest

from correspondence.models import Correspondence

from .helpers import API

pytestmark = pytest.mark.django_db


def test_delete_removes_the_record_and_its_files(backend, contact, make_correspondence, media_root):
    correspondence = make_correspondence(contact)
    pdf_path = media_root / correspondence.pdf.name
    assert pdf_path.exists()

    response = backend.delete(f"{API}/correspondence/{correspondence.id}")

    assert response.status_code == 204
    assert response.content == b""
    assert not Correspondence.objects.exists()
    assert not pdf_path.exists()
    assert backend.get(f"{API}/correspondence/{correspondence.id}").status_code == 404


def test_delete_of_unknown_correspondence_is_404(backend, letter_type):
    response = backend.delete(f"{API}/correspondence/0b7e1f0e-1c3a-4b8e-9a53-0e5b8f6e1a11")

    assert response.status_code == 404
    assert response.json()["error_code"] == 404101


def test_a_read_only_key_cannot_delete(backend_as, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    response = backend_as("letters.read").delete(f"{API}/correspondence/{correspondence.id}")

    assert response.status_code == 403
    assert Correspondence.objects.exists()


def test_a_test_mode_key_cannot_delete_live_correspondence(backend_test_mode, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    assert backend_test_mode.delete(f"{API}/correspondence/{correspondence.id}").status_code == 404
    assert Correspondence.objects.exists()
