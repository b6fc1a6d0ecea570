import uuid

import pytest

from accounts.models import Account

pytestmark = pytest.mark.django_db


def url(contact, query=""):
    return f"/backoffice/v2/contacts/{contact.id}/accounts{query}"


@pytest.fixture
def three_accounts(contact, make_account, reference_data):
    eur = make_account(contact, is_primary=True, name="B euro")
    usd = make_account(contact, currency_code="USD", name="A dollar")
    gbp = make_account(contact, currency_code="GBP", name="C pound")
    Account.objects.filter(pk=gbp.pk).update(state="TERMINATED")
    Account.objects.filter(pk=usd.pk).update(state="SUSPENDED")
    return eur, usd, gbp


def test_lists_every_account_newest_first_in_the_documented_shape(backoffice, contact, three_accounts, reference_data):
    eur, usd, gbp = three_accounts

    response = backoffice.get(url(contact))

    assert response.status_code == 200
    body = response.json()
    assert body["paging"] == {"page": 1, "size": 10, "total": 3}
    assert [a["id"] for a in body["content"]] == [str(gbp.id), str(usd.id), str(eur.id)]
    assert body["content"][2] == {
        "id": str(eur.id),
        "is_primary": True,
        "name": "B euro",
        "number": eur.number,
        "state": "ACTIVE",
        "currency_code": "EUR",
        "classification": {"id": str(reference_data["purchase"].id), "name": "Delivery Purchase"},
    }


def test_is_primary_filter(backoffice, contact, three_accounts):
    response = backoffice.get(url(contact, "?is_primary=true"))
    assert [a["currency_code"] for a in response.json()["content"]] == ["EUR"]


def test_state_filter_takes_csv(backoffice, contact, three_accounts):
    response = backoffice.get(url(contact, "?state=ACTIVE,SUSPENDED"))
    assert sorted(a["state"] for a in response.json()["content"]) == ["ACTIVE", "SUSPENDED"]


def test_sort_by_name_ascending(backoffice, contact, three_accounts):
    response = backoffice.get(url(contact, "?sort=NAME&order=ASC"))
    assert [a["name"] for a in response.json()["content"]] == ["A dollar", "B euro", "C pound"]


def test_paging(backoffice, contact, three_accounts):
    response = backoffice.get(url(contact, "?sort=NAME&order=ASC&page=2&size=2"))
    body = response.json()
    assert body["paging"] == {"page": 2, "size": 2, "total": 3}
    assert [a["name"] for a in body["content"]] == ["C pound"]


def test_other_contacts_accounts_are_not_listed(backoffice, contact, make_contact, make_account):
    make_account(make_contact())
    assert backoffice.get(url(contact)).json()["paging"]["total"] == 0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?state=ACTIVE,GONE", "state"),
        ("?sort=COLOUR", "sort"),
        ("?order=UP", "order"),
        ("?page=0", "page"),
        ("?size=101", "size"),
        ("?size=ten", "size"),
        ("?is_primary=maybe", "is_primary"),
    ],
)
def test_bad_parameters_are_clear_400s(backoffice, contact, query, parameter):
    response = backoffice.get(url(contact, query))
    assert response.status_code == 400
    assert response.json()["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert response.json()["parameters"][0] == parameter


def test_unknown_contact_is_not_found(backoffice):
    missing = uuid.uuid4()
    response = backoffice.get(f"/backoffice/v2/contacts/{missing}/accounts")
    assert response.status_code == 404
    assert response.json()["parameters"] == ["contact", str(missing)]
