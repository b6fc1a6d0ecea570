"""A contact's country of residence is the country of its primary address, wherever the contact is shown."""

import pytest

pytestmark = pytest.mark.django_db

OTHER = {"address_line_1": "1 Aigaiou Street", "town_city": "Athens", "country_code": "GRC"}
PRIMARY = {"address_line_1": "9 Makariou Avenue", "town_city": "Nicosia", "country_code": "CYP", "is_primary": True}


def residence(data: dict):
    country = data["contact_information"]["demographics"]["country_of_residence"]
    return country and country["three_character_code"]


@pytest.mark.parametrize(("addresses", "expected"), [([OTHER, PRIMARY], "CYP"), ([OTHER], "GRC"), ([], None)])
def test_the_primary_address_gives_the_country(crm, make_contact, make_queue_entry, addresses, expected):
    customer = make_contact(addresses=addresses)
    entry = make_queue_entry(contact=customer)

    shown = crm.get("communications/show", communication_identifier=f"number={entry.communication.number}")
    queued = crm.get("communications/queue/show", communication_queue_identifier=f"number={entry.number}")
    latest = crm.get("communications/queue/get_latest", media="EMAIL", number=1)

    assert residence(shown.json()["data"]) == expected
    assert residence(queued.json()["data"]["communication"]) == expected
    assert residence(latest.json()["data"][0]["communication"]) == expected
