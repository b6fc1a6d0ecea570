"""A contact's page opens on the customer's workspace: who they are, quick actions, their analytics and one
timeline; the edit form waits behind "Edit details"."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.analytics import contact_analytics

pytestmark = pytest.mark.django_db


def page_of(client, contact, query=""):
    response = client.get(f"/admin/accounts/contact/{contact.pk}/change/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_opens_on_who_they_are_before_the_form(staff, contact, make_account):
    account = make_account(contact, is_primary=True)

    page = page_of(staff, contact)

    workspace, form = page.index('class="ws"'), page.index('<details class="ws-edit" id="edit">')
    assert workspace < form < page.index('id="contact_form"')
    assert "<summary>Edit details</summary>" in page
    assert contact.email in page[workspace:form] and "2265 Oak Street" in page[workspace:form]
    assert f'href="/admin/accounts/account/{account.pk}/change/">{account.number}</a>' in page
    assert f"{account.balance} {account.currency_code}" in page[workspace:form]


def test_quick_actions_open_their_screens_prefilled_with_the_customer(staff, contact, make_correspondence):
    letter = make_correspondence(contact)

    page = page_of(staff, contact)

    assert f'href="/admin/communications/communication/add/?contact={contact.pk}&amp;media=PHONE">Log a call' in page
    assert f'href="/admin/communications/communication/add/?contact={contact.pk}&amp;media=EMAIL">Log an email' in page
    assert f'href="/admin/correspondence/correspondence/add/?contact={contact.pk}">Write a letter' in page
    assert f'href="/admin/activities/activity/add/?contact={contact.pk}">Plan an activity' in page
    assert f'href="/admin/correspondence/correspondence/{letter.pk}/change/">Email a letter' in page


def test_the_analytics_numbers_are_the_analytics_services(staff, contact, make_communication, make_activity):
    make_communication(subject="One")
    make_communication(subject="Two")
    make_activity()
    numbers = contact_analytics(contact)

    page = page_of(staff, contact)

    figures = page[page.index('class="ws-figures"') : page.index('id="timeline"')]
    assert "Analytics, last six months" in figures
    assert f"Communications</span> <strong>{numbers['communication_totals']['total']}</strong>" in figures
    assert f"Activities</span> <strong>{numbers['activity_totals']['pending']}</strong>" in figures


def test_the_timeline_is_filtered_by_kind_with_counts(staff, contact, make_communication, make_activity):
    make_communication(subject="Hello there")
    make_activity(name="Visit the meter")

    everything = page_of(staff, contact)
    activities = page_of(staff, contact, "?kind=activities")

    assert '<a href="?kind=activities#timeline">Activities <span class="ws-count">1</span></a>' in everything
    assert "Hello there" in everything and "Visit the meter" in everything
    assert "Visit the meter" in activities and "Email: Hello there" not in activities
    assert 'aria-current="true" class="ws-current">Activities' in activities


def test_a_long_history_is_paged(staff, contact, make_activity):
    for n in range(30):
        make_activity(name=f"Visit {n:02d}")

    first, second = page_of(staff, contact), page_of(staff, contact, "?page=2")

    assert first.count('class="ws-moment ') == 25 and second.count('class="ws-moment ') == 5
    assert 'href="?page=2#timeline" rel="next">Older' in first
    assert 'rel="prev">← Newer' in second and "Page 2 · 30 in all" in second


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_history_holds(
    staff, contact, make_account, make_communication, make_activity, make_correspondence
):
    make_account(contact, is_primary=True)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page_of(staff, contact)
        return len(captured)

    make_communication(subject="First")
    make_activity()
    make_correspondence(contact)
    few = queries()
    for n in range(15):
        make_communication(subject=f"More {n}")
        make_activity(name=f"More {n}")
        make_correspondence(contact)

    # One query per kind on the page at most, whatever lies beyond it: an older kind falling off the page saves one.
    assert queries() <= few <= 40


def test_staff_see_only_what_they_may_view_and_do(client, contact, make_activity, make_communication):
    make_activity(name="Visit the meter")
    make_communication(subject="Private talk")
    clerk = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_contact", "change_contact", "view_activity"])
    )
    client.force_login(clerk)

    page = page_of(client, contact)

    assert "Visit the meter" in page and "Private talk" not in page
    assert "Log a call" not in page and "Plan an activity" not in page
    assert "Communications <span" not in page


def test_save_and_continue_editing_comes_back_to_the_open_form(staff, contact):
    page_of(staff, contact)
    data = {
        "contact_type": "PERSON",
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": "new.address@example.com",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "accounts-TOTAL_FORMS": "0",
        "accounts-INITIAL_FORMS": "0",
        "_continue": "Save and continue editing",
    }

    response = staff.post(f"/admin/accounts/contact/{contact.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert response["Location"].endswith("#edit")


def test_plan_an_activity_opens_the_activity_form_with_the_customer(staff, contact):
    response = staff.get(f"/admin/activities/activity/add/?contact={contact.pk}")

    assert response.status_code == 200
    assert str(response.context["adminform"].form.initial["contact"]) == str(contact.pk)


def test_adding_a_contact_is_the_plain_form(staff):
    page = staff.get("/admin/accounts/contact/add/").content.decode()

    assert 'id="contact_form"' in page and 'class="ws"' not in page and "Edit details" not in page
