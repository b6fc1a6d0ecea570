"""receive_mailing, the one service every upload goes through: all letters or none."""

import pytest
from django.db import IntegrityError, transaction

from accounts.errors import Conflict
from postal import services
from postal.models import Letter, Mailing

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_letter_with_the_same_ref(postal_account, make_mailing):
    mailing = make_mailing(postal_account, ["myref1"])
    duplicate = Letter.objects.get()
    duplicate.pk, duplicate.idx, duplicate.tracking_token = None, 2, "another-token"

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert mailing.letters.count() == 1


def test_a_ref_taken_by_a_concurrent_upload_refuses_the_mailing_and_leaves_no_files(
    postal_account, make_mailing, pdf, monkeypatch, settings
):
    make_mailing(postal_account, ["myref1"])
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.pdf"))
    checks = []
    real_check = services._refuse_refs_in_use

    def check_missing_the_race(*args):
        # The first check runs before the other upload commits; the insert then meets its ref.
        checks.append(args)
        if len(checks) > 1:
            real_check(*args)

    monkeypatch.setattr(services, "_refuse_refs_in_use", check_missing_the_race)

    with pytest.raises(Conflict, match="already used on account ABC12345: myref1"):
        services.receive_mailing(
            postal_account,
            [services.LetterUpload(ref="fresh", pdf=pdf), services.LetterUpload(ref="myref1", pdf=pdf)],
            is_test=False,
        )

    assert Mailing.objects.count() == 1
    assert list(Letter.objects.values_list("ref", flat=True)) == ["myref1"]
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.pdf")) == files_before
