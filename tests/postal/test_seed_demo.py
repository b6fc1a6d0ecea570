"""The postal demo data: the seed's accounts, with letters in every status, loaded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from postal.models import Letter, Mailing, PostalAccount

pytestmark = pytest.mark.django_db


def test_demo_has_letters_in_every_status_and_loads_once(jsonrpc_as):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert set(PostalAccount.objects.values_list("code", flat=True)) == {"ABC12345", "ABC01234"}
    assert PostalAccount.objects.get(code="ABC12345").contact.code == "C123"
    assert Mailing.objects.count() == 5
    statuses = dict(Letter.objects.filter(postal_account__code="ABC12345").values_list("ref", "status"))
    assert set(statuses.values()) == {"Received", "Lodged", "Cancelled", "Returned"}

    answer = jsonrpc_as().call("get_letter_status", {"account": "ABC12345", "refs": ["myref1", "myref2"]}).json()
    myref2 = answer["result"]["letters"][1]
    assert (myref2["failover"], myref2["transport"], myref2["price"]) == (True, ["SMS", "POST"], 1.93)
