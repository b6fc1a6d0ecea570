"""`purge` on letters at the mail house: finished old letters lose PDF and recipient, keep ref, status, price."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db(transaction=True)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge", "--days", "30", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def postal_letters(make_mailing, postal_account):
    make_mailing(postal_account, ["OLD-LODGED", "OLD-RECEIVED", "NEW-LODGED"], email="kathy.clark@example.com")
    Letter.objects.filter(ref__endswith="LODGED").update(status=LetterStatus.LODGED, price="0.85")
    Letter.objects.filter(ref__startswith="OLD").update(received_on=timezone.now() - timedelta(days=31))
    return {letter.ref: letter for letter in Letter.objects.all()}


def test_finished_old_letters_lose_their_pdf_and_recipient(postal_letters):
    pdf_file = postal_letters["OLD-LODGED"].pdf.path

    output = purge()

    assert "postal.letters_anonymised: 1" in output
    old = Letter.objects.get(ref="OLD-LODGED")
    assert (old.pdf.name, old.email, old.status, str(old.price)) == ("", "", LetterStatus.LODGED, "0.85")
    assert not os.path.exists(pdf_file)
    for ref in ("OLD-RECEIVED", "NEW-LODGED"):
        untouched = Letter.objects.get(ref=ref)
        assert untouched.pdf.name and untouched.email == "kathy.clark@example.com"


def test_dry_run_changes_nothing(postal_letters):
    output = purge("--dry-run")

    assert "postal.letters_anonymised: 1" in output
    assert Letter.objects.get(ref="OLD-LODGED").pdf.name
