"""GET communications/list: by contact and/or category, with direction, media, number_of_results and offset."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_communication, make_contact, seed_names):
    other = make_contact()
    made = [
        make_communication(subject="first", media="PHONE", direction="INCOMING"),
        make_communication(subject="second", category=seed_names["category"]),
        make_communication(subject="third", media="SMS", to="+35799000000"),
        make_communication(subject="someone else's", contact=other, category=seed_names["category"]),
    ]
    return made


def subjects(response):
    assert response.status_code == 200, response.content
    return [item["subject"] for item in response.json()["data"]]


def test_by_contact_newest_first(crm, history, contact):
    response = crm.get("communications/list", contact_information_identifier=f"id={contact.id.hex.upper()}")

    assert subjects(response) == ["third", "second", "first"]


def test_by_category(crm, history):
    assert subjects(crm.get("communications/list", category_identifier="code=cci")) == ["someone else's", "second"]
    by_long_name = crm.get("communications/list", communication_category_identifier="name=Customer Care Information")
    assert subjects(by_long_name) == ["someone else's", "second"]


def test_by_contact_and_category(crm, history, contact):
    response = crm.get(
        "communications/list", contact_information_identifier=f"id={contact.id.hex}", category_identifier="code=cci"
    )

    assert subjects(response) == ["second"]


def test_direction_and_media_narrow_the_list(crm, history, contact):
    by_contact = f"id={contact.id.hex}"
    assert subjects(crm.get("communications/list", contact_information_identifier=by_contact, media="SMS")) == ["third"]
    response = crm.get("communications/list", contact_information_identifier=by_contact, direction="INCOMING")
    assert subjects(response) == ["first"]


def test_number_of_results_and_offset_page_through(crm, history, contact):
    by_contact = f"id={contact.id.hex}"
    first_page = crm.get("communications/list", contact_information_identifier=by_contact, number_of_results=2)
    second_page = crm.get(
        "communications/list", contact_information_identifier=by_contact, number_of_results=2, offset=2
    )

    assert subjects(first_page) == ["third", "second"]
    assert subjects(second_page) == ["first"]


def test_fields_set_applies_to_each_item(crm, history, contact):
    response = crm.get(
        "communications/list", contact_information_identifier=f"id={contact.id.hex}", fields_set="number"
    )

    assert [set(item) for item in response.json()["data"]] == [{"number"}] * 3


def test_lists_stay_cheap_in_queries(crm, history, contact, django_assert_max_num_queries, make_communication):
    for n in range(10):
        make_communication(subject=f"more {n}")
    with django_assert_max_num_queries(12):
        response = crm.get("communications/list", contact_information_identifier=f"id={contact.id.hex}")
    assert len(response.json()["data"]) == 13


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "MISSING_PARAMETER"),
        ({"category_identifier": "code=cci", "media": "FAX"}, "INVALID_VALUE"),
        ({"category_identifier": "code=cci", "direction": "SIDEWAYS"}, "INVALID_VALUE"),
        ({"category_identifier": "code=cci", "number_of_results": "0"}, "INVALID_VALUE"),
        ({"category_identifier": "code=cci", "number_of_results": "5000"}, "INVALID_VALUE"),
        ({"category_identifier": "code=cci", "offset": "-1"}, "INVALID_VALUE"),
        ({"category_identifier": "code=nope"}, "NOT_FOUND"),
    ],
)
def test_bad_queries_are_clear_errors(crm, history, params, code):
    response = crm.get("communications/list", **params)

    assert 400 <= response.status_code < 500
    assert response.json()["status"]["code"] == code


def test_an_offset_beyond_the_database_range_is_refused(crm, history):
    response = crm.get("communications/list", category_identifier="code=cci", offset=str(10**20))

    assert response.status_code == 400
    assert response.json()["status"]["code"] == "INVALID_VALUE"
