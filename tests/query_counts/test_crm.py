"""CRM.COM R-series (`/crmapi/rest/v2/`): every list and show costs a stated number of queries, whatever the rows.

The rows are shown in full: communications with unrestricted parameters, a category, the users who wrote them and
what they refer to (a financial account, a subscription with its type and account, a lead and another communication,
all held here and rendered whole); queue entries of several contacts, some changed by a user. No count includes
the key: the counted request finds it kept from the first (accounts/key_cache.py)."""

import pytest
from django.contrib.auth.models import User

from accounts.models import SubscriptionType
from communications.models import Category, Communication, QueueEntry

from .guard import Guards, assert_steady

pytestmark = pytest.mark.django_db

GUARDS = Guards("communications")
CONAX = "name=CONAX Mail message"
SYSTEM = {"communication_queue_external_system_identifier": CONAX}


def data(response) -> int:
    return len(response.json()["data"])


def test_every_list_and_detail_of_the_family_has_a_guard():
    assert GUARDS.unguarded_routes() == []


@pytest.fixture
def clerk(db):
    return User.objects.create_user("clerk", first_name="Kathy", last_name="Clark")


@pytest.fixture
def write(make_communication, make_contact, make_account, make_subscription, make_lead, clerk):
    """A communication as a busy integration writes them, referring to the one written before; every other one (the
    first too) by a staff user."""
    category = Category.objects.create(name="Customer Care Information", code="cci")
    subscription_type = SubscriptionType.objects.create(name="London", alternative_code="LND")
    written = [make_communication(contact=make_contact(), subject="An earlier one")]

    def write(contact=None, **fields):
        contact = contact or make_contact()
        account = make_account(make_contact())
        referring_to = {
            "accounts_receivable_identifier": {"id": str(account.id)},
            "communication_identifier": {"id": str(written[-1].id)},
            "subscription_identifier": {"number": make_subscription(contact, type=subscription_type).number},
            "lead_identifier": {"id": str(make_lead(contact).id)},
        }
        communication = make_communication(
            contact=contact,
            category=category,
            referring_to=referring_to,
            parameters=[
                {"type": "STRING", "name": "plan", "string_value": "Gold"},
                {"type": "FLOAT", "name": "balance", "float_value": 10.5},
            ],
            **fields,
        )
        if len(written) % 2:
            Communication.objects.filter(pk=communication.pk).update(created_by_user=clerk, updated_by_user=clerk)
        written.append(communication)
        return communication

    return write


@GUARDS.guard("crm-communications-list")
def test_communications_of_a_contact(crm, contact, write):
    def grow(n):
        for _ in range(n):
            write(contact)

    identifier = f"id={contact.id.hex.upper()}"
    # contact (with its state), page (contact with its state, category, system, privacy, group and keys joined), who
    # created and who last changed them, parameters, the financial accounts, subscriptions (type and account
    # joined), leads and communications referred to, and the owners of all of those at once (with their states)
    assert_steady(
        lambda: crm.get("communications/list", contact_information_identifier=identifier, number_of_results=100),
        grow,
        queries=10,
        size=data,
    )


@GUARDS.guard("crm-communications-show")
def test_a_communication_with_its_parameters_and_references(crm, write, make_communication, contact):
    shown = write()

    def grow(n):
        for _ in range(n):
            write()
        for number in range(n):
            shown.parameters.create(type="INTEGER", name=f"extra {shown.parameters.count()}", integer_value=number)

    identifier = f"number={shown.number}"
    # communication (contact with its state, category, system, privacy, group and keys joined), who created and who
    # last changed it, parameters, the financial account, subscription (type and account joined), lead and
    # communication it refers to, and their owners at once
    assert_steady(lambda: crm.get("communications/show", communication_identifier=identifier), grow, queries=9)


@pytest.fixture
def queue(make_queue_entry, make_contact, clerk):
    """Pending entries for several contacts; every other one (the first too) made and changed by a staff user."""

    def grow(n):
        for number in range(n):
            entry = make_queue_entry(contact=make_contact(), subject=f"entry {number}")
            if not number % 2:
                QueueEntry.objects.filter(pk=entry.pk).update(created_by_user=clerk, updated_by_user=clerk)

    return grow


@GUARDS.guard("crm-queue-list")
def test_queue_list(crm, queue):
    def ask():
        return crm.get("communications/queue/list", **SYSTEM, number_of_results=100)

    # external system, page (communication, its contact with their state and country of residence, system and keys
    # joined), the users who made or last changed them
    assert_steady(ask, queue, queries=3, size=data)


@GUARDS.guard("crm-queue-get-latest")
def test_queue_get_latest(crm, queue):
    def ask():
        return crm.get(
            "communications/queue/get_latest", communication_queue_external_system_identifier=CONAX, number=50
        )

    # external system, page (communication, its contact with their state and country of residence, system and keys
    # joined), the users who made or last changed them
    assert_steady(ask, queue, queries=3, size=data)


@GUARDS.guard("crm-queue-get-pending-completed")
def test_queue_get_pending_completed(crm, queue):
    def ask():
        return crm.get(
            "communications/queue/get_pending_completed",
            communication_queue_external_system_identifier=CONAX,
            number=50,
        )

    # external system, page (communication, its contact with their state and country of residence, system and keys
    # joined), the users who made or last changed them
    assert_steady(ask, queue, queries=3, size=data)


@GUARDS.guard("crm-queue-show")
def test_a_queue_entry(crm, queue, make_queue_entry, clerk):
    entry = make_queue_entry(subject="shown")
    QueueEntry.objects.filter(pk=entry.pk).update(created_by_user=clerk)
    shown = {"communication_queue_identifier": f"number={entry.number}"}

    # entry (communication, its contact with its state and country of residence, system and keys joined), who
    # made it
    assert_steady(lambda: crm.get("communications/queue/show", **shown), queue, queries=2)
