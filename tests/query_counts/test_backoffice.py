"""Back-office v2 (`/backoffice/v2/`): every list and detail costs a stated number of queries, whatever the rows.

No count includes the key: the counted request finds it kept from the first (accounts/key_cache.py)."""

from itertools import count

import pytest

from accounts import services as accounts
from activities import services as activities
from activities.models import ActivityStateChange, CustomFieldDefinition, Tag
from communications import services as communications
from insights import services as insights

from .guard import Guards, assert_steady, queries_of

pytestmark = pytest.mark.django_db

GUARDS = Guards("backoffice")
EVERYTHING = {"include_tags": "true", "include_custom_fields": "true", "size": 100}


def content(response) -> int:
    return len(response.json()["content"])


def test_every_list_and_detail_of_the_family_has_a_guard():
    assert GUARDS.unguarded_routes() == []


@GUARDS.guard("backoffice-contacts")
def test_contacts(backoffice, make_contact):
    def grow(n):
        for _ in range(n):
            make_contact(code=None)

    # count, page
    assert_steady(lambda: backoffice.get("/backoffice/v2/contacts", {"size": 100}), grow, queries=2, size=content)


@GUARDS.guard("backoffice-contact")
def test_a_contact_with_its_addresses(backoffice, contact):
    def grow(n):
        for number in range(n):
            accounts.add_address(contact, address_line_1=f"{number} Oak Street", country_code="CYP")

    # contact, addresses
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/contacts/{contact.id}"), grow, queries=2)


@GUARDS.guard("backoffice-contact-accounts")
def test_a_contacts_accounts(backoffice, contact, make_account, reference_data):
    def grow(n):
        for _ in range(n):
            make_account(contact, classification=reference_data["business"])

    url = f"/backoffice/v2/contacts/{contact.id}/accounts"
    # contact, count, page (classification joined)
    assert_steady(lambda: backoffice.get(url, {"size": 100}), grow, queries=3, size=content)


@GUARDS.guard("backoffice-account")
def test_an_account(backoffice, contact, make_account, reference_data):
    account = make_account(contact, classification=reference_data["business"], payment_terms=reference_data["net7"])

    def grow(n):
        for _ in range(n):
            make_account(contact)

    # account (payment terms, classification and billing address joined)
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/accounts/{account.id}"), grow, queries=1)


@GUARDS.guard("backoffice-activities")
def test_activities_with_their_tags_and_custom_fields(
    backoffice, make_activity, contact, make_lead, make_service_request, make_order, agent, support
):
    tags = [Tag.objects.create(name="VIP"), Tag.objects.create(name="Maintenance")]
    CustomFieldDefinition.objects.create(key="back_office", label="Back office")
    records = [make_lead, make_service_request, make_order]

    def grow(n):
        for number in range(n):
            activity = make_activity(
                name=f"Activity {number}",
                linked=records[number % 3](contact),
                assigned_user=agent,
                assigned_team=support,
                custom_fields={"back_office": "B"},
            )
            activity.tags.add(*tags)

    # count, page (with type, contact, lead, service request, order, user with GUID and team joined), tags,
    # custom fields
    assert_steady(lambda: backoffice.get("/backoffice/v2/activities/", EVERYTHING), grow, queries=4, size=content)


def test_activities_without_includes_read_no_tags_or_custom_fields(backoffice, make_activity):
    make_activity()

    _, queries = queries_of(lambda: backoffice.get("/backoffice/v2/activities/", {"size": 20}))

    # the page: short of its size, it is the last one and gives the total
    assert len(queries) == 1, queries


def test_a_full_page_of_activities_is_counted_once(backoffice, make_activity):
    for _ in range(3):
        make_activity()

    _, queries = queries_of(lambda: backoffice.get("/backoffice/v2/activities/", {"size": 2, "states": "PENDING"}))

    # page, count
    assert len(queries) == 2, queries


@GUARDS.guard("backoffice-activity")
def test_an_activity_with_its_custom_fields_and_history(backoffice, make_activity, contact, make_order, agent, support):
    activity = make_activity(linked=make_order(contact), assigned_user=agent, assigned_team=support)

    def grow(n):
        start = CustomFieldDefinition.objects.count()
        for number in range(start, start + n):
            definition = CustomFieldDefinition.objects.create(key=f"field_{number}", label=f"Field {number}")
            activity.custom_field_values.create(definition=definition, value=str(number))
            ActivityStateChange.objects.create(activity=activity, state="PENDING")

    # the activity (with everything one-to-one joined), custom fields, state history
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/activities/{activity.id}"), grow, queries=3)


@GUARDS.guard("backoffice-activity-tags")
def test_an_activitys_tags(backoffice, make_activity):
    activity = make_activity()

    def grow(n):
        start = Tag.objects.count()
        activity.tags.add(*(Tag.objects.create(name=f"Tag {number}") for number in range(start, start + n)))

    url = f"/backoffice/v2/activities/{activity.id}/tags"
    # activity, tags
    assert_steady(lambda: backoffice.get(url), grow, queries=2, size=content)


@GUARDS.guard("backoffice-activity-types")
@GUARDS.guard("backoffice-tags")
@pytest.mark.parametrize(
    ("path", "create"), [("activity_types", activities.create_activity_type), ("tags", activities.create_tag)]
)
def test_activity_types_and_tags(backoffice, path, create):
    names = count()

    def grow(n):
        for _ in range(n):
            create(is_test=False, name=f"Setting {next(names)}")

    # count, page
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/{path}", {"size": 100}), grow, queries=2, size=content)


def make_insight(**definition):
    return insights.create_insight(is_test=False, name=f"Insight {next(INSIGHT_NAMES)}", **definition)


INSIGHT_NAMES = count()
MEDIA = ["PHONE", "LETTER", "FACE_TO_FACE"]


@GUARDS.guard("backoffice-insights")
def test_insights(backoffice):
    def grow(n):
        for _ in range(n):
            make_insight(events=[{"event": "COMMUNICATION_CREATED"}, {"event": "ACTIVITY_CREATED"}])

    # count, page (the events are stored on the insight)
    assert_steady(lambda: backoffice.get("/backoffice/v2/insights", {"size": 100}), grow, queries=2, size=content)


@GUARDS.guard("backoffice-insight")
def test_an_insight(backoffice):
    insight = make_insight()
    events = []

    def grow(n):
        for _ in range(n):
            events.append({"event": "COMMUNICATION_CREATED", "name": f"Series {len(events)}"})
        insights.set_events(insight, events[-5:])

    # the insight (its creator joined)
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/insights/{insight.id}"), grow, queries=1)


@GUARDS.guard("backoffice-insight-results")
def test_an_insights_results_are_grouped_queries(backoffice, contact):
    insight = make_insight(
        events=[
            {"event": "COMMUNICATION_CREATED"},
            {"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS"},
        ],
        breakdowns=[{"dimension": "COMMUNICATION_MEDIA"}],
    )
    made = count()

    def grow(n):
        for _ in range(n):
            communications.create_communication(
                contact=contact,
                media=MEDIA[next(made) % len(MEDIA)],
                direction="INCOMING",
                subject="Call",
                content="Called about the bill.",
                is_test=False,
            )

    # insight; per event the breakdown's ranking and the buckets; the unique contacts' total over the range
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/insights/{insight.id}/results"), grow, queries=6)


@GUARDS.guard("backoffice-contact-analytics")
@GUARDS.guard("backoffice-organisation-analytics")
@pytest.mark.parametrize("kind", ["contacts", "organisations"])
def test_a_customers_analytics(backoffice, make_contact, make_account, make_activity, kind):
    customer = make_contact(
        **({"company_name": "Acme Ltd", "contact_type": "COMPANY"} if kind == "organisations" else {})
    )
    currencies = iter(["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "JPY", "CAD"])

    def grow(n):
        for _ in range(n):
            make_account(customer, currency_code=next(currencies))
            make_activity(contact=customer)
            communications.create_communication(
                contact=customer,
                media="PHONE",
                direction="INCOMING",
                subject="Call",
                content="Called about the bill.",
                is_test=False,
            )

    url = f"/backoffice/v2/{kind}/{customer.id}/analytics"
    # customer; account totals; communication, message, letter, postal and activity totals, cancellations,
    # overdue; each per-month series; the last interaction
    assert_steady(lambda: backoffice.get(url), grow, queries=12)
