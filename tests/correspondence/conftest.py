"""Fixtures of the letters tests: a second correspondence type, laid out differently."""

import pytest

from correspondence.models import CorrespondenceSection, CorrespondenceType


@pytest.fixture
def notice_type(db):
    kind = CorrespondenceType.objects.create(name="Payment reminder", show_page_numbers=False)
    CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True)
    return kind
