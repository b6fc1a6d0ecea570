"""A letter's status history reads in words and the back-office's one date format, never "+ready 2026-12-07"."""

import pytest
from django.utils import timezone
from django.utils.formats import localize

pytestmark = pytest.mark.django_db


def test_a_status_change_reads_as_a_sentence(contact, make_correspondence):
    letter = make_correspondence(contact)
    change = letter.status_changes.get(status="ready")

    assert str(change) == f"became ready on {localize(timezone.localtime(change.changed_on))}"
