from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Account, Classification, Contact, Group, PaymentTerms

pytestmark = pytest.mark.django_db


def test_loads_the_names_the_seed_examples_use_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = (Contact.objects.count(), Account.objects.count())
    call_command("seed_demo", stdout=StringIO())

    assert (Contact.objects.count(), Account.objects.count()) == counts
    assert counts[0] >= 3
    assert PaymentTerms.objects.filter(name="Net 7").exists()
    assert Classification.objects.filter(name="Delivery Purchase", is_default=True).exists()
    assert Group.objects.filter(name="Main Group").exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    smith = Contact.objects.get(code="C123")
    assert smith.accounts.filter(is_primary=True, currency_code="EUR").count() == 1
