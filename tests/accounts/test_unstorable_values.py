"""A value the database refuses (a NUL byte, too long for its column) is the caller's 400, never a 500."""

import pytest
from django.db import DataError

from accounts.api.errors import describe
from accounts.models import Contact

pytestmark = pytest.mark.django_db


def test_a_nul_byte_is_a_400_and_nothing_is_written(backoffice):
    response = backoffice.post("/backoffice/v2/contacts", {"first_name": "Nul\x00Byte"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert not Contact.objects.exists()


def test_a_database_data_error_is_classified_as_the_callers_400():
    error = describe(DataError("value too long for type character varying(32)"), {})

    assert (error.status, error.kind) == (400, "invalid")
    assert "character varying" not in error.message
