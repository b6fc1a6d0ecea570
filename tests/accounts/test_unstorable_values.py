"""A value the database refuses (a NUL byte) is the caller's 400, never a 500."""

import pytest

from accounts.models import Contact

pytestmark = pytest.mark.django_db


def test_a_nul_byte_is_a_400_and_nothing_is_written(backoffice):
    response = backoffice.post("/backoffice/v2/contacts", {"first_name": "Nul\x00Byte"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert not Contact.objects.exists()
