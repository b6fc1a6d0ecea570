"""Staff create and change subscriptions, leads, service requests and orders in the admin, held to the rules the
service holds them to; what they may do comes from the staff roles."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Lead, Order, ServiceRequest, Subscription, SubscriptionType

pytestmark = pytest.mark.django_db


def errors_of(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def test_staff_add_a_subscription_and_the_number_is_assigned(staff, contact, make_account):
    account = make_account(contact)
    london = SubscriptionType.objects.create(name="London", alternative_code="LND")

    response = staff.post(
        "/admin/accounts/subscription/add/",
        {
            "number": "",
            "contact": str(contact.id),
            "account": str(account.id),
            "type": str(london.id),
            "state": "DRAFT",
        },
    )

    assert response.status_code == 302, errors_of(response)
    subscription = Subscription.objects.get()
    assert (subscription.number, subscription.contact, subscription.account, subscription.type) == (
        "S00001",
        contact,
        account,
        london,
    )


def test_a_subscription_billed_to_another_contacts_account_is_a_form_error(staff, contact, make_contact, make_account):
    elsewhere = make_account(make_contact())

    response = staff.post(
        "/admin/accounts/subscription/add/",
        {"number": "S60302", "contact": str(contact.id), "account": str(elsewhere.id), "state": "DRAFT"},
    )

    assert f"The financial account {elsewhere.number} belongs to another contact." in errors_of(response)
    assert not Subscription.objects.exists()


def test_a_number_another_lead_holds_is_a_form_error(staff, contact, make_lead):
    make_lead(contact, number="60")

    response = staff.post(
        "/admin/accounts/lead/add/", {"number": "60", "contact": str(contact.id), "title": "ASOS", "state": "PENDING"}
    )

    assert "Lead with this Number already exists." in errors_of(response)
    assert Lead.objects.count() == 1


def test_staff_move_an_order_on_and_its_closing_is_stamped(staff, contact, make_order):
    order = make_order(contact, description="Router")

    response = staff.post(f"/admin/accounts/order/{order.pk}/change/", {"description": "Router", "state": "COMPLETED"})

    assert response.status_code == 302, errors_of(response)
    order.refresh_from_db()
    assert order.state == "COMPLETED"
    assert order.closed_on is not None


def test_a_state_the_life_cycle_does_not_allow_is_a_form_error_and_changes_nothing(staff, contact, make_subscription):
    subscription = make_subscription(contact, state="CANCELLED")

    response = staff.post(
        f"/admin/accounts/subscription/{subscription.pk}/change/",
        {"account": str(subscription.account_id), "state": "EFFECTIVE"},
    )

    assert "A cancelled subscription cannot become effective." in errors_of(response)
    subscription.refresh_from_db()
    assert subscription.state == "CANCELLED"


def test_a_saved_record_keeps_its_number_and_contact_and_is_never_deleted(staff, contact, make_service_request):
    service_request = make_service_request(contact)

    page = staff.get(f"/admin/accounts/servicerequest/{service_request.pk}/change/")
    deleting = staff.get(f"/admin/accounts/servicerequest/{service_request.pk}/delete/")

    fields = page.context["adminform"].form.fields
    assert "number" not in fields and "contact" not in fields
    assert service_request.number in page.content.decode()
    assert deleting.status_code == 403
    assert ServiceRequest.objects.filter(pk=service_request.pk).exists()


@pytest.mark.parametrize("model", ["subscription", "lead", "servicerequest", "order"])
def test_the_lists_find_a_record_by_its_number_or_its_customers_code(staff, make_contact, request, model):
    contact = make_contact(code="C123")
    maker = {"servicerequest": "make_service_request"}.get(model, f"make_{model}")
    record = request.getfixturevalue(maker)(contact)

    by_number = staff.get(f"/admin/accounts/{model}/", {"q": record.number})
    by_code = staff.get(f"/admin/accounts/{model}/", {"q": "C123"})

    assert list(by_number.context["cl"].result_list) == [record]
    assert list(by_code.context["cl"].result_list) == [record]


def test_back_office_staff_look_after_the_records_and_supervisors_keep_the_types():
    staff = set(Group.objects.get(name="Back-office staff").permissions.values_list("codename", flat=True))
    supervisor = set(Group.objects.get(name="Supervisor").permissions.values_list("codename", flat=True))

    for model in ("subscription", "lead", "servicerequest", "order"):
        assert {f"view_{model}", f"add_{model}", f"change_{model}"} <= staff
        assert f"delete_{model}" not in supervisor
    assert "view_subscriptiontype" in staff and "change_subscriptiontype" not in staff
    assert {"add_subscriptiontype", "change_subscriptiontype"} <= supervisor


def test_an_order_of_a_test_contact_is_a_test_record(staff, make_contact):
    sandbox = make_contact(is_test=True)

    response = staff.post("/admin/accounts/order/add/", {"number": "", "contact": str(sandbox.id), "state": "NEW"})

    assert response.status_code == 302, errors_of(response)
    assert Order.objects.get().is_test is True
