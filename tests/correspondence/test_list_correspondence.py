import uuid

import pytest

from .helpers import API, without_hint

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    return [item["correspondenceNumber"] for item in response.json()]


def test_list_all_is_a_plain_array_newest_first(backend, make_contact, make_correspondence):
    first, second = make_contact(), make_contact()
    make_correspondence(first)
    make_correspondence(second)
    make_correspondence(first)

    response = backend.get(f"{API}/correspondence/")

    assert response.status_code == 200
    body = response.json()
    assert [(item["customer"], item["correspondenceNumber"]) for item in body] == [
        (str(first.id), "2"),
        (str(second.id), "1"),
        (str(first.id), "1"),
    ]
    assert response["X-Total-Count"] == "3"


def test_list_of_a_customer_has_only_theirs(backend, make_contact, make_correspondence):
    mine, other = make_contact(), make_contact()
    make_correspondence(mine)
    make_correspondence(other)
    make_correspondence(mine)

    response = backend.get(f"{API}/customers/{mine.id}/correspondence/")

    assert response.status_code == 200
    assert numbers(response) == ["2", "1"]
    assert {item["customer"] for item in response.json()} == {str(mine.id)}


def test_limit_and_offset_page_through_with_links(backend, contact, make_correspondence):
    for _ in range(5):
        make_correspondence(contact)

    first = backend.get(f"{API}/customers/{contact.id}/correspondence?limit=2")
    second = backend.get(f"{API}/customers/{contact.id}/correspondence?limit=2&offset=2")

    assert numbers(first) == ["5", "4"] and numbers(second) == ["3", "2"]
    assert first["X-Total-Count"] == "5"
    assert 'offset=2>; rel="next"' in first["Link"]
    assert 'offset=4>; rel="next"' in second["Link"] and 'rel="prev"' in second["Link"]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=ten", "offset=-1"])
def test_bad_paging_is_400(backend, query):
    response = backend.get(f"{API}/correspondence/?{query}")

    assert response.status_code == 400
    assert without_hint(response.json()) == {"error": "Invalid Value", "error_code": 400002}


@pytest.mark.parametrize("identifier", [uuid.uuid4(), "C123"])
def test_unknown_customer_is_404102(backend, identifier):
    response = backend.get(f"{API}/customers/{identifier}/correspondence/")

    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "error_code": 404102, "hint": f"No customer matches {identifier}."}


def test_test_mode_lists_only_test_correspondence(backend, backend_test_mode, make_contact, make_correspondence):
    make_correspondence(make_contact())
    test_letter = make_correspondence(make_contact(is_test=True))

    assert [item["id"] for item in backend_test_mode.get(f"{API}/correspondence/").json()] == [str(test_letter.id)]
    assert str(test_letter.id) not in [item["id"] for item in backend.get(f"{API}/correspondence/").json()]


def test_listing_does_not_query_per_record(backend, contact, make_correspondence, django_assert_max_num_queries):
    for _ in range(6):
        make_correspondence(contact)

    with django_assert_max_num_queries(5):
        response = backend.get(f"{API}/correspondence/")

    assert len(response.json()) == 6
