"""Subscriptions, leads, service requests and orders: numbers, life cycles and the rules every way in obeys
(accounts.services.save_record, which the admin and the demo data call)."""

import pytest
import time_machine
from django.utils import timezone

from accounts import services
from accounts.errors import Conflict, IllegalTransition, InvalidValue, MissingValue
from accounts.models import Lead, NumberSequence, Order, ServiceRequest, Subscription

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "fields", "first"),
    [
        (Subscription, {}, "S00001"),
        (Lead, {"title": "ASOS"}, "LD000001"),
        (ServiceRequest, {}, "SRV00001"),
        (Order, {}, "O000001"),
    ],
)
def test_a_blank_number_is_the_next_of_its_series(contact, make_account, model, fields, first):
    if model is Subscription:
        fields = {"account": make_account(contact)}

    made = [services.save_record(model(contact=contact, **fields)) for _ in range(2)]

    assert [record.number for record in made] == [first, first[:-1] + "2"]
    assert all(record.is_test is False for record in made)


def test_a_number_is_never_handed_out_twice_even_when_staff_took_it(contact):
    services.save_record(Order(contact=contact, number="O000002"))

    drawn = [services.save_record(Order(contact=contact)).number for _ in range(2)]

    assert drawn == ["O000001", "O000003"]
    assert NumberSequence.objects.get(name="order").last_value == 3


def test_a_number_another_record_holds_is_refused(contact, make_lead):
    make_lead(contact, number="60")

    with pytest.raises(Conflict, match="Another lead has the number 60."):
        services.save_record(Lead(contact=contact, number="60", title="Again"))
    assert Lead.objects.count() == 1


@pytest.mark.parametrize("number", ["x" * 33, "S6\x000302", "S60\n302"])
def test_a_number_must_be_short_and_printable(contact, number):
    with pytest.raises(InvalidValue, match="printable"):
        services.save_record(Order(contact=contact, number=number))
    assert not Order.objects.exists()


def test_a_record_takes_the_mode_of_its_contact(make_contact):
    sandbox = make_contact(is_test=True)

    order = services.save_record(Order(contact=sandbox, is_test=False))

    assert order.is_test is True


def test_a_subscription_needs_an_account_of_its_own_contact(contact, make_contact, make_account):
    with pytest.raises(MissingValue, match="billed to"):
        services.save_record(Subscription(contact=contact))
    someone_elses = make_account(make_contact())
    with pytest.raises(InvalidValue, match="belongs to another contact"):
        services.save_record(Subscription(contact=contact, account=someone_elses))
    assert not Subscription.objects.exists()


def test_a_new_subscription_is_not_billed_to_a_terminated_account(contact, make_account):
    account = services.terminate_account(make_account(contact))

    with pytest.raises(InvalidValue, match="is terminated"):
        services.save_record(Subscription(contact=contact, account=account))


def test_an_address_must_be_the_contacts(contact, make_contact):
    elsewhere = make_contact().addresses.get()

    with pytest.raises(InvalidValue, match="address belongs to another contact"):
        services.save_record(ServiceRequest(contact=contact, address=elsewhere))


def test_a_lead_needs_a_title(contact):
    with pytest.raises(MissingValue, match="title"):
        services.save_record(Lead(contact=contact, title="  "))


def test_the_contact_and_the_number_stay_what_they_were(contact, make_contact, make_order):
    order = make_order(contact)

    order.contact = make_contact()
    with pytest.raises(InvalidValue, match="contact of an order cannot be changed"):
        services.save_record(order)
    order.refresh_from_db()
    order.number = "O999999"
    with pytest.raises(InvalidValue, match="number of an order cannot be changed"):
        services.save_record(order)
    assert Order.objects.get().contact == contact


def test_a_subscription_goes_through_its_life_cycle_and_its_dates_are_stamped(contact, make_subscription):
    subscription = make_subscription(contact)
    assert (subscription.state, subscription.effective_on, subscription.closed_on) == ("DRAFT", None, None)

    first = timezone.now()
    with time_machine.travel(first, tick=False):
        services.change_record_state(subscription, "EFFECTIVE")
    services.change_record_state(subscription, "NOT_EFFECTIVE")
    services.change_record_state(subscription, "EFFECTIVE")
    ended = timezone.now()
    with time_machine.travel(ended, tick=False):
        services.change_record_state(subscription, "CANCELLED")

    subscription.refresh_from_db()
    # Effective from the first time it was; cancelled is where it ends.
    assert (subscription.state, subscription.effective_on, subscription.closed_on) == ("CANCELLED", first, ended)


@pytest.mark.parametrize(
    ("make", "start", "refused"),
    [
        ("make_subscription", "CANCELLED", "EFFECTIVE"),
        ("make_subscription", "DRAFT", "NOT_EFFECTIVE"),
        ("make_lead", "WON", "LOST"),
        ("make_lead", "LOST", "PENDING"),
        ("make_service_request", "COMPLETED", "PENDING"),
        ("make_service_request", "PENDING", "COMPLETED"),
        ("make_order", "CANCELLED", "NEW"),
        ("make_order", "COMPLETED", "IN_PROGRESS"),
    ],
)
def test_a_state_the_life_cycle_does_not_allow_is_refused_and_changes_nothing(request, contact, make, start, refused):
    record = request.getfixturevalue(make)(contact, state=start)
    before = type(record).objects.values().get(pk=record.pk)

    with pytest.raises(IllegalTransition) as raised:
        services.change_record_state(record, refused)

    assert raised.value.parameters == ["state", start, refused]
    assert type(record).objects.values().get(pk=record.pk) == before


def test_an_unknown_state_is_refused(contact, make_order):
    order = make_order(contact)

    with pytest.raises(InvalidValue, match="'SHIPPED' is not a state of an order"):
        services.change_record_state(order, "SHIPPED")


def test_a_final_state_closes_the_record(contact, make_lead, make_order):
    lead = make_lead(contact, state="WON")
    order = make_order(contact, state="IN_PROGRESS")

    assert lead.closed_on is not None
    assert order.closed_on is None
