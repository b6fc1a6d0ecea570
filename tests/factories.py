"""Records the tests of more than one app make, each made through the service every entry point calls.

`make_<record>(...)` fixtures return a function; a fixture named after the record (`contact`) is one made with
the defaults. Loaded by tests/conftest.py as a plugin, so every test may ask for them.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.mail import make_msgid
from django.test import TestCase

from accounts import services as accounts
from accounts.models import (
    Account,
    AccountState,
    Classification,
    Lead,
    Order,
    PaymentTerms,
    ServiceRequest,
    Subscription,
    Team,
)
from accounts.reference import currency_codes
from activities import services as activities
from activities.models import ActivityType
from communications import services as communications
from communications.models import OutboundMessage, QueueEntry, QueueExternalSystem
from correspondence import services as correspondence
from correspondence.models import CorrespondenceSection, CorrespondenceType
from postal import services as postal
from postal.demo import letter_pdf
from postal.models import MailingSource, PostalAccount
from tests.activities.helpers import FROM, TO, epoch

# Accounts -------------------------------------------------------------------------------------------------------


@pytest.fixture
def reference_data(db):
    return {
        "net7": PaymentTerms.objects.create(name="Net 7", days=7),
        "purchase": Classification.objects.create(name="Delivery Purchase", is_default=True),
        "business": Classification.objects.create(name="Business"),
    }


@pytest.fixture
def make_contact(db):
    counter = iter(range(1, 10_000))

    def make(is_test=False, **fields):
        n = next(counter)
        defaults = {
            "first_name": "John",
            "last_name": f"Smith{n}",
            "email": f"john{n}@example.com",
            "addresses": [
                {
                    "address_line_1": "2265 Oak Street",
                    "town_city": "Old Forge",
                    "postal_code": "13420",
                    "state_province_county": "New York",
                    "country_code": "CYP",
                }
            ],
        }
        return accounts.create_contact(is_test=is_test, **{**defaults, **fields})

    return make


@pytest.fixture
def contact(make_contact):
    return make_contact()


def free_currency(contact) -> str:
    """EUR, or the first currency the contact holds no open account in (a contact has one account per currency)."""
    taken = set(contact.accounts.exclude(state=AccountState.TERMINATED).values_list("currency_code", flat=True))
    return next(code for code in ["EUR", *sorted(currency_codes())] if code not in taken)


@pytest.fixture
def make_account(db):
    def make(contact, currency_code=None, balance="0", **fields):
        currency_code = currency_code or free_currency(contact)
        account = accounts.create_account(contact, currency_code=currency_code, **fields)
        Account.objects.filter(pk=account.pk).update(balance=Decimal(balance))
        account.refresh_from_db()
        return account

    return make


# A customer's records the documents name: `make_subscription(contact, account=…, state=…, **fields)` and the like,
# through the service staff's admin uses; a state other than the first is reached through the life cycle.
PATHS = {
    Subscription: {"EFFECTIVE": ["EFFECTIVE"], "NOT_EFFECTIVE": ["EFFECTIVE", "NOT_EFFECTIVE"]},
    Lead: {},
    ServiceRequest: {"COMPLETED": ["FINAL_RESOLVED", "COMPLETED"]},
    Order: {},
}


def _make_record(model, contact, state=None, **fields):
    record = accounts.save_record(model(contact=contact, **fields))
    if state is not None and state != record.state:
        for step in PATHS[model].get(state, [state]):
            accounts.change_record_state(record, step)
    return record


@pytest.fixture
def make_subscription(make_account):
    def make(contact, account=None, **fields):
        return _make_record(Subscription, contact, account=account or make_account(contact), **fields)

    return make


@pytest.fixture
def make_lead(db):
    def make(contact, title="ASOS", **fields):
        return _make_record(Lead, contact, title=title, **fields)

    return make


@pytest.fixture
def make_service_request(db):
    def make(contact, **fields):
        return _make_record(ServiceRequest, contact, **fields)

    return make


@pytest.fixture
def make_order(db):
    def make(contact, **fields):
        return _make_record(Order, contact, **fields)

    return make


@pytest.fixture
def staff_user(db):
    """A superuser of the admin, named staff."""
    return get_user_model().objects.create_superuser("staff", "staff@example.com", "pw")


@pytest.fixture
def agent(db):
    """A user activities are assigned to."""
    return get_user_model().objects.create_user("j_doe@crm.com", first_name="John", last_name="Doe")


@pytest.fixture
def support(agent):
    """A team the agent is a member of."""
    team = Team.objects.create(name="Support")
    team.members.add(agent)
    return team


# Activities -----------------------------------------------------------------------------------------------------


@pytest.fixture
def site_visit(db):
    return ActivityType.objects.create(name="site visit", color="876FD5")


@pytest.fixture
def make_activity(site_visit, contact):
    """A pending activity of the seed's schedule for the `contact` fixture; keyword arguments override."""

    def make(**fields):
        defaults = {
            "is_test": False,
            "name": "Call customer",
            "type": site_visit,
            "contact": contact,
            "scheduled_from": epoch(FROM),
            "scheduled_to": epoch(TO),
        }
        return activities.create_activity(**{**defaults, **fields})

    return make


# Communications -------------------------------------------------------------------------------------------------


@pytest.fixture
def queue_external_system(db):
    """The external system of seed 003's queue examples."""
    return QueueExternalSystem.objects.create(name="CONAX Mail message", alternative_code="CW5 MAIL")


@pytest.fixture
def make_communication(contact):
    """An outgoing email draft to the `contact` fixture; keyword arguments override."""

    def make(**fields):
        defaults = {
            "is_test": False,
            "contact": contact,
            "direction": "OUTGOING",
            "media": "EMAIL",
            "subject": "Hello",
            "content": "Dear customer",
            "to": fields.get("contact", contact).email,
            "state": "DRAFT",
        }
        return communications.create_communication(**{**defaults, **fields})

    return make


@pytest.fixture
def make_queue_entry(make_communication, queue_external_system):
    """A queue entry made the way the product makes them: by completing a communication for an external system;
    then put in `state` and given `number` when those are named."""

    def make(number=None, external_system=None, state="PENDING", **fields):
        system = external_system or queue_external_system
        communication = make_communication(state="COMPLETED", queue_external_system=system, **fields)
        entry = communication.queue_entries.get()
        changes = {"state": state, **({"number": number} if number else {})}
        QueueEntry.objects.filter(pk=entry.pk).update(**changes)
        entry.refresh_from_db()
        return entry

    return make


# Correspondence -------------------------------------------------------------------------------------------------


@pytest.fixture
def letter_type(db):
    kind = CorrespondenceType.objects.create(
        name="Standard letter",
        letterhead="Acme Utilities Ltd\n1 High Street\nLondon EC1A 1AA",
        return_address="Acme Utilities Ltd, 1 High Street, London EC1A 1AA",
        closing="Yours sincerely,\n\nCustomer Services",
    )
    CorrespondenceSection.objects.create(correspondence_type=kind, key="subject", required=True, bold=True, position=1)
    CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True, position=2)
    CorrespondenceSection.objects.create(
        correspondence_type=kind, key="ps", heading="P.S.", postscript=True, position=3
    )
    return kind


@pytest.fixture
def make_correspondence(letter_type):
    """Correspondence created through the service, its PDF rendered as the `pdf` queue would (unless render is
    false); of the standard letter type unless another is given."""

    def make(customer, *, render=True, **fields):
        fields.setdefault("correspondence_type", letter_type)
        fields.setdefault("content", {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes."})
        with TestCase.captureOnCommitCallbacks(execute=render):
            made = correspondence.create_correspondence(customer, **fields)
        made.refresh_from_db()
        return made

    return make


# Postal ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def postal_account(db):
    """The postal account of seed 002's examples."""
    return PostalAccount.objects.create(code="ABC12345", name="Easymail customer")


@pytest.fixture
def pdf():
    """A real one-page letter, as a customer uploads it to the mail house."""
    return letter_pdf("myref1", ["Dear customer,", "Your statement is enclosed."])


@pytest.fixture
def make_mailing(pdf):
    """A mailing of one letter per ref received at the mail house, through the service every way in uses; each
    letter is `pdf`, keyword arguments go to every letter."""

    def make(account, refs, *, is_test=False, **letter):
        uploads = [postal.LetterUpload(ref=ref, pdf=pdf, **letter) for ref in refs]
        return postal.receive_mailing(account, uploads, is_test=is_test, source=MailingSource.API)

    return make


@pytest.fixture
def make_outbound(db):
    """Rows as send_email leaves them, without waking any worker."""

    def make(**fields):
        defaults = {
            "channel": "EMAIL",
            "recipients": ["kathy.clark@example.com"],
            "from_address": "correspondence@example.com",
            "subject": "Your letter",
            "body": "Dear Kathy",
            "source_type": "tests.email",
            "message_id": make_msgid(domain="example.com"),
        }
        return OutboundMessage.objects.create(**{**defaults, **fields})

    return make
