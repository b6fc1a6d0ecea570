import pytest
from django.test import TestCase

from accounts import demo as accounts_demo
from correspondence import demo
from correspondence.models import Correspondence, CorrespondenceRecipient

pytestmark = pytest.mark.django_db


def test_demo_letters_are_loaded_once_and_rendered(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accounts_demo.load()

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = demo.load()
    second = demo.load()

    assert first == "4 new letter(s); type 'Standard letter'"
    assert second == "0 new letter(s); type 'Standard letter'"
    assert Correspondence.objects.count() == 4
    assert all(c.status_names == ["ready"] for c in Correspondence.objects.all())
    assert CorrespondenceRecipient.objects.get().email == "ingrid.berg@nordlys.example.com"
