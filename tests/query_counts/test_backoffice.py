"""Back-office v2 (`/backoffice/v2/`): every list and detail costs a stated number of queries, whatever the rows.

Every count starts with the key lookup (the `api_key` header)."""

from itertools import count

import pytest

from accounts import services as accounts
from activities import services as activities
from activities.models import ActivityStateChange, CustomFieldDefinition, Tag

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

    # key, count, page
    assert_steady(lambda: backoffice.get("/backoffice/v2/contacts", {"size": 100}), grow, queries=3, size=content)


@GUARDS.guard("backoffice-contact")
def test_a_contact_with_its_addresses(backoffice, contact):
    def grow(n):
        for number in range(n):
            accounts.add_address(contact, address_line_1=f"{number} Oak Street", country_code="CYP")

    # key, contact, addresses
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/contacts/{contact.id}"), grow, queries=3)


@GUARDS.guard("backoffice-contact-accounts")
def test_a_contacts_accounts(backoffice, contact, make_account, reference_data):
    def grow(n):
        for _ in range(n):
            make_account(contact, classification=reference_data["business"])

    url = f"/backoffice/v2/contacts/{contact.id}/accounts"
    # key, contact, count, page (classification joined)
    assert_steady(lambda: backoffice.get(url, {"size": 100}), grow, queries=4, size=content)


@GUARDS.guard("backoffice-account")
def test_an_account(backoffice, contact, make_account, reference_data):
    account = make_account(contact, classification=reference_data["business"], payment_terms=reference_data["net7"])

    def grow(n):
        for _ in range(n):
            make_account(contact)

    # key, account (payment terms, classification and billing address joined)
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/accounts/{account.id}"), grow, queries=2)


@GUARDS.guard("backoffice-activities")
def test_activities_with_their_tags_and_custom_fields(backoffice, make_activity, agent, support):
    tags = [Tag.objects.create(name="VIP"), Tag.objects.create(name="Maintenance")]
    CustomFieldDefinition.objects.create(key="back_office", label="Back office")

    def grow(n):
        for number in range(n):
            activity = make_activity(
                name=f"Activity {number}",
                assigned_user=agent,
                assigned_team=support,
                custom_fields={"back_office": "B"},
            )
            activity.tags.add(*tags)

    # key, count, page (with type, contact, user and team joined), tags, custom fields
    assert_steady(lambda: backoffice.get("/backoffice/v2/activities/", EVERYTHING), grow, queries=5, size=content)


def test_activities_without_includes_read_no_tags_or_custom_fields(backoffice, make_activity):
    make_activity()

    _, queries = queries_of(lambda: backoffice.get("/backoffice/v2/activities/", {"size": 20}))

    # key, count, page
    assert len(queries) == 3, queries


@GUARDS.guard("backoffice-activity")
def test_an_activity_with_its_custom_fields_and_history(backoffice, make_activity, agent, support):
    activity = make_activity(assigned_user=agent, assigned_team=support)

    def grow(n):
        start = CustomFieldDefinition.objects.count()
        for number in range(start, start + n):
            definition = CustomFieldDefinition.objects.create(key=f"field_{number}", label=f"Field {number}")
            activity.custom_field_values.create(definition=definition, value=str(number))
            ActivityStateChange.objects.create(activity=activity, state="PENDING")

    # key, the activity (with everything one-to-one joined), custom fields, state history
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/activities/{activity.id}"), grow, queries=4)


@GUARDS.guard("backoffice-activity-tags")
def test_an_activitys_tags(backoffice, make_activity):
    activity = make_activity()

    def grow(n):
        start = Tag.objects.count()
        activity.tags.add(*(Tag.objects.create(name=f"Tag {number}") for number in range(start, start + n)))

    url = f"/backoffice/v2/activities/{activity.id}/tags"
    # key, activity, tags
    assert_steady(lambda: backoffice.get(url), grow, queries=3, size=content)


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

    # key, count, page
    assert_steady(lambda: backoffice.get(f"/backoffice/v2/{path}", {"size": 100}), grow, queries=3, size=content)
