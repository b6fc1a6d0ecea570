"""Every API route × every way of being refused: no credentials, wrong scope, the other mode's records, another
postal account, staff without permission. The routes come from the URL resolver, so a new endpoint joins the
matrix by existing. The JSON-RPC methods, which are not routes, are in test_access_matrix_jsonrpc.py."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from accounts import services as accounts
from accounts.scopes import ALL_SCOPES
from activities import services as activities
from communications.models import QueueEntry, QueueExternalSystem
from communications.services import communications
from correspondence import services as correspondence
from correspondence.actions import registered_actions
from correspondence.models import CorrespondenceSection, CorrespondenceType
from insights import services as insights
from postal.models import Letter, PostalAccount
from tests.clients import BearerClient

from .access import ROUTES, Route, assert_nothing_leaked

pytestmark = pytest.mark.django_db

CALLS = [
    pytest.param(route, method, id=f"{method.upper()} /{route.pattern}") for route in ROUTES for method in route.methods
]


def test_the_matrix_covers_every_family():
    assert {route.family for route in ROUTES} >= {"backoffice", "communications", "letters"}


@pytest.mark.parametrize(("route", "method"), CALLS)
def test_no_credentials_is_401(route, method):
    response = route.send(method, None)
    assert response.status_code == 401, response.content
    assert_nothing_leaked(response)


@pytest.mark.parametrize(("route", "method"), CALLS)
def test_a_key_for_other_families_is_403(make_api_key, route, method):
    others = [scope for scope in ALL_SCOPES if not scope.startswith(f"{route.family}.")]
    response = route.send(method, make_api_key(scopes=others))
    assert response.status_code == 403, response.content
    assert_nothing_leaked(response)


@pytest.mark.parametrize(("route", "method"), CALLS)
def test_a_read_key_cannot_write(make_api_key, route, method):
    response = route.send(method, make_api_key(scopes=[f"{route.family}.read"]))
    if route.reads(method):
        assert response.status_code != 403, response.content
    else:
        assert response.status_code == 403, response.content
    assert_nothing_leaked(response)


NOON = datetime(2026, 1, 5, 12, tzinfo=UTC)
# Which record each route names, and where the caller puts its id: in the path, the query or the body.
RECORD_OF_ROUTE = {
    "backoffice-contact": ("contact", "path"),
    "backoffice-contact-addresses": ("contact", "path"),
    "backoffice-contact-accounts": ("contact", "path"),
    "backoffice-account": ("account", "path"),
    "backoffice-account-actions": ("account", "path"),
    "backoffice-activity": ("activity", "path"),
    "backoffice-activity-tags": ("activity", "path"),
    "backend-correspondence": ("correspondence", "path"),
    "backend-customer-correspondence": ("contact", "path"),
    "crm-communications-show": ("communication", "query"),
    "crm-communications-update": ("communication", "body"),
    "crm-communications-complete": ("communication", "body"),
    "crm-communications-set-as-viewed": ("communication", "body"),
    "crm-queue-show": ("queue entry", "query"),
    "crm-queue-process": ("queue entry", "body"),
    "crm-queue-reject": ("queue entry", "body"),
    "crm-queue-remove": ("queue entry", "body"),
    "backoffice-insight": ("insight", "path"),
    "backoffice-insight-slash": ("insight", "path"),
    "backoffice-insight-events": ("insight", "path"),
    "backoffice-insight-filters": ("insight", "path"),
    "backoffice-insight-breakdowns": ("insight", "path"),
    "backoffice-insight-results": ("insight", "path"),
    "backoffice-insight-preview": ("insight", "path"),
    "backoffice-insight-exports": ("insight", "path"),
    "backoffice-contact-analytics": ("contact", "path"),
    "backoffice-organisation-analytics": ("organisation", "path"),
}
# The CRM.COM family names records by an identifier parameter; other parameters a route needs to get that far.
IDENTIFIER_PARAMETER = {"communication": "communication_identifier", "queue entry": "communication_queue_identifier"}
OTHER_PARAMETERS = {"crm-queue-reject": {"error_code": "E01", "error_description": "Mailbox full"}}


def ask(route: Route, method: str, key: str, record_id: str):
    kind, where = RECORD_OF_ROUTE[route.name]
    if where == "query":
        return route.send(method, key, query=f"?{IDENTIFIER_PARAMETER[kind]}=id={record_id}")
    if where == "body":
        data = {IDENTIFIER_PARAMETER[kind]: {"id": record_id}, **OTHER_PARAMETERS.get(route.name, {})}
        return route.send(method, key, data=data)
    return route.send(method, key, pk=record_id)


def records(is_test: bool) -> dict[str, str]:
    """One record of each kind in the given mode; the ids as the API shows them."""
    contact = accounts.create_contact(is_test=is_test, first_name="Secret", last_name=f"Holder{is_test}")
    organisation = accounts.create_contact(is_test=is_test, contact_type="COMPANY", company_name="Secret Holder Ltd")
    account = accounts.create_account(contact, currency_code="EUR")
    chart = insights.create_insight(is_test=is_test, name="Secret chart", events=[{"event": "CONTACT_CREATED"}])
    kind = activities.create_activity_type(is_test=is_test, name="site visit")
    activity = activities.create_activity(
        is_test=is_test, name="Secret visit", type=kind, contact=contact, scheduled_from=NOON, scheduled_to=NOON
    )
    communication = communications.create_communication(
        is_test=is_test, contact=contact, direction="INCOMING", media="PHONE", subject="Secret call", content="x"
    )
    letter_type, _ = CorrespondenceType.objects.get_or_create(name="Standard letter")
    CorrespondenceSection.objects.get_or_create(correspondence_type=letter_type, key="body", required=True)
    letter = correspondence.create_correspondence(contact, correspondence_type=letter_type, content={"body": "Secret"})
    system, _ = QueueExternalSystem.objects.get_or_create(name="Secret mail system", alternative_code="SECRET")
    queued = communications.create_communication(
        is_test=is_test,
        contact=contact,
        direction="OUTGOING",
        media="EMAIL",
        to="secret@example.com",
        subject="Secret notice",
        content="x",
        queue_external_system=system,
    )
    return {
        "contact": str(contact.pk),
        "account": str(account.pk),
        "activity": str(activity.pk),
        "communication": communication.pk.hex.upper(),
        "correspondence": str(letter.pk),
        "queue entry": queued.queue_entries.get().pk.hex.upper(),
        "insight": str(chart.pk),
        "organisation": str(organisation.pk),
    }


MODE_CALLS = [
    pytest.param(route, method, id=f"{method.upper()} /{route.pattern}")
    for route in ROUTES
    if route.name in RECORD_OF_ROUTE
    for method in route.methods
]


@pytest.mark.parametrize("crossing", ["test key on live data", "live key on test data"])
@pytest.mark.parametrize(("route", "method"), MODE_CALLS)
def test_the_other_modes_records_are_indistinguishable_from_missing_ones(make_api_key, route, method, crossing):
    key_mode, data_is_test = ("test", False) if crossing == "test key on live data" else ("live", True)
    key = make_api_key(mode=key_mode)
    theirs = records(is_test=data_is_test)
    kind = RECORD_OF_ROUTE[route.name][0]
    their_id = theirs[kind]
    absent_id = uuid.uuid4().hex.upper() if kind in IDENTIFIER_PARAMETER else str(uuid.uuid4())

    crossed, absent = ask(route, method, key, their_id), ask(route, method, key, absent_id)
    assert crossed.status_code == absent.status_code == 404, crossed.content
    assert crossed.content.decode().replace(their_id, "ID") == absent.content.decode().replace(absent_id, "ID")
    assert_nothing_leaked(crossed, "Secret", "Holder")
    assert QueueEntry.objects.filter(state="PENDING").count() == 1


# Actions other apps add to a correspondence (`?action=NAME`) that act for a postal account.
POSTAL_ACTIONS = [
    pytest.param(action, id=f"POST /backend/api/v1/correspondence/<pk>?action={action.name}")
    for action in registered_actions()
    if action.scope.startswith("postal.")
]


@pytest.fixture
def rendered_letter(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    contact = accounts.create_contact(is_test=False, first_name="Secret", last_name="Holder")
    letter_type, _ = CorrespondenceType.objects.get_or_create(name="Standard letter")
    CorrespondenceSection.objects.get_or_create(correspondence_type=letter_type, key="body", required=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        letter = correspondence.create_correspondence(contact, correspondence_type=letter_type, content={"body": "x"})
    letter.refresh_from_db()
    assert letter.pdf
    return letter


def act(key: str, action, letter, **data):
    return BearerClient(key).post(
        f"/backend/api/v1/correspondence/{letter.pk}?action={action.name}", data, format="json"
    )


def test_the_matrix_covers_the_postal_actions():
    assert [param.values[0].name for param in POSTAL_ACTIONS] == ["post"]


@pytest.mark.parametrize("action", POSTAL_ACTIONS)
def test_a_postal_action_needs_its_scope(make_api_key, rendered_letter, action):
    key = make_api_key(scopes=[scope for scope in ALL_SCOPES if scope != action.scope], postal_accounts=["ABC12345"])
    PostalAccount.objects.create(code="ABC12345", name="Easymail customer")

    response = act(key, action, rendered_letter, account="ABC12345")

    assert response.status_code == 403, response.content
    assert not Letter.objects.exists()
    assert_nothing_leaked(response)


@pytest.mark.parametrize("absent", ["NOPE0000", ""])
@pytest.mark.parametrize("action", POSTAL_ACTIONS)
def test_another_postal_account_is_indistinguishable_from_a_missing_one(make_api_key, rendered_letter, action, absent):
    """A key bound to ABC12345 names XYZ00001, which exists, or an account that does not (or none: bound to one
    account, the key then acts for it, so the refusal must come from the binding, not the data)."""
    PostalAccount.objects.create(code="ABC12345", name="Easymail customer")
    PostalAccount.objects.create(code="XYZ00001", name="Secret other customer")
    key = make_api_key(postal_accounts=["ABC12345"])

    crossed = act(key, action, rendered_letter, account="XYZ00001")
    if absent:
        missing = act(key, action, rendered_letter, account=absent)
        assert crossed.status_code == missing.status_code == 404, crossed.content
        assert crossed.content.decode().replace("XYZ00001", "X") == missing.content.decode().replace(absent, "X")
        assert not Letter.objects.exists()
    else:
        own = act(key, action, rendered_letter)
        assert crossed.status_code == 404, crossed.content
        assert own.status_code == 200, own.content
        assert list(Letter.objects.values_list("postal_account__code", flat=True)) == ["ABC12345"]
    assert_nothing_leaked(crossed, "Secret other customer")


STAFF_PAGES = [
    pytest.param(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", id=f"{model.__name__} {page}")
    for model in admin.site._registry
    for page in ("changelist", "add")
]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_without_permission_are_refused_every_admin_page(client, page):
    client.force_login(User.objects.create_user("clerk", is_staff=True))
    response = client.get(reverse(page))
    assert response.status_code == 403
    assert_nothing_leaked(response)
