"""The backend family (`/backend/api/v1/`, letters per customer): every list and detail costs a stated number of
queries, whatever the rows. Letters carry attachments and statuses. No count includes the key: the counted request
finds it kept from the first (accounts/key_cache.py)."""

import base64

import pytest

from .guard import Guards, assert_steady

pytestmark = pytest.mark.django_db

GUARDS = Guards("letters")  # the family as its scopes name it
API = "/backend/api/v1"
CONTENT = {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes."}


def listed(response) -> int:
    return len(response.json())


def test_every_list_and_detail_of_the_family_has_a_guard():
    assert GUARDS.unguarded_routes() == []


def attachments(count: int, start: int = 0) -> list[dict]:
    content = base64.b64encode(b"Terms and conditions").decode()
    return [
        {"name": f"terms-{n}.txt", "contentType": "text/plain", "content": content} for n in range(start, start + count)
    ]


@pytest.fixture
def write(backend, make_contact):
    """Letters written and delivered through the API, with two attachments each, for the customer or a new one."""

    def write(customer=None, *, deliver=True) -> str:
        body = {"correspondenceType": "Standard letter", "content": CONTENT, "attachments": attachments(2)}
        created = backend.post(
            f"{API}/customers/{(customer or make_contact()).id}/correspondence/", body, format="json"
        )
        assert created.status_code == 201, created.content
        letter = created.json()["id"]
        if deliver:
            assert backend.post(f"{API}/correspondence/{letter}?action=deliver").status_code == 200
        return letter

    return write


@GUARDS.guard("backend-correspondence-list")
def test_all_correspondence(backend, letter_type, write):
    def grow(n):
        for _ in range(n):
            write()

    # count, page (type joined), attachments
    assert_steady(lambda: backend.get(f"{API}/correspondence/"), grow, queries=3, size=listed)


@GUARDS.guard("backend-customer-correspondence")
def test_a_customers_correspondence(backend, letter_type, contact, write):
    def grow(n):
        for _ in range(n):
            write(contact)

    # customer, count, page (type joined), attachments
    assert_steady(lambda: backend.get(f"{API}/customers/{contact.id}/correspondence/"), grow, queries=4, size=listed)


@GUARDS.guard("backend-correspondence")
@pytest.mark.parametrize(
    ("accept", "queries"),
    [
        ("application/json", 1),  # correspondence (type and attachments joined)
        ("application/pdf", 2),  # correspondence (type and customer joined), attachments
    ],
)
def test_one_correspondence_as_json_or_pdf(backend, letter_type, contact, write, accept, queries):
    letter, attached = write(contact, deliver=False), [2]

    def grow(n):
        added = backend.patch(
            f"{API}/correspondence/{letter}", {"attachments": attachments(n, attached[0])}, format="json"
        )
        assert added.status_code == 200, added.content
        attached[0] += n
        for _ in range(n):
            write(contact)

    assert_steady(lambda: backend.get(f"{API}/correspondence/{letter}", HTTP_ACCEPT=accept), grow, queries=queries)
