from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import (
    Account,
    Classification,
    Contact,
    Group,
    Lead,
    Order,
    PaymentTerms,
    ServiceRequest,
    Subscription,
)

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


def test_loads_the_subscriptions_lead_service_request_and_order_the_examples_name():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    subscriptions = {
        s.number: (s.contact.code, s.account.currency_code, s.type.name, s.state)
        for s in Subscription.objects.select_related("contact", "account", "type")
    }
    assert subscriptions == {
        "S60302": ("C123", "EUR", "London", "EFFECTIVE"),
        "S60105": ("C123", "USD", "Normal Subscription", "EFFECTIVE"),
        "S60052": ("C124", "EUR", "Normal Subscription", "CANCELLED"),
    }
    assert Subscription.objects.get(number="S60052").effective_on is not None
    lead = Lead.objects.get()
    assert (lead.number, lead.title, lead.contact.code, lead.state) == ("60", "ASOS", "C124", "PENDING")
    assert ServiceRequest.objects.get().number == "SRV78001"
    assert Order.objects.get().number == "O101367"
