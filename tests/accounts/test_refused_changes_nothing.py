"""Every v2 write validates everything before its first write: a refused request, however late in the body its fault,
leaves every table of the project as it was (counted row by row) and sends nothing."""

import pytest
from django.core import mail

from tests.fuzzing import rows_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(backoffice, contact, make_account, make_activity, site_visit):
    account = make_account(contact, balance="99.99")
    insight = backoffice.post("/backoffice/v2/insights", {"name": "Letters"}, format="json").json()["id"]
    return {"contact": contact, "account": account, "activity": make_activity(), "type": site_visit, "insight": insight}


def activity_body(world, **overrides):
    return {
        "name": "Call",
        "type_id": str(world["type"].id),
        "scheduled_on": {"from_date": 1592809457, "to_date": 1592813057},
        "linked_to": [{"type": "CONTACT", "id": str(world["contact"].id)}],
        **overrides,
    }


REFUSED = {
    # The contact is valid; its second address names no country.
    "a contact whose last address is refused": lambda w: (
        "POST",
        "/backoffice/v2/contacts",
        {
            "first_name": "Jo",
            "last_name": "Smith",
            "addresses": [
                {"address_line_1": "1 Main St", "country_code": "CYP"},
                {"address_line_1": "2 Main St", "country_code": "QQQ"},
            ],
        },
    ),
    "a contact whose address line breaks": lambda w: (
        "POST",
        "/backoffice/v2/contacts",
        {"first_name": "Jo", "last_name": "Smith", "addresses": [{"address_line_1": "1\n2", "country_code": "CYP"}]},
    ),
    "an account in an unknown currency": lambda w: (
        "POST",
        f"/backoffice/v2/contacts/{w['contact'].id}/accounts",
        {"currency_code": "XYZ"},
    ),
    "an address whose country is unknown": lambda w: (
        "POST",
        f"/backoffice/v2/contacts/{w['contact'].id}/addresses",
        {"address_line_1": "1 Main St", "country_code": "QQQ"},
    ),
    "terminating an account with a balance and nowhere to transfer it": lambda w: (
        "POST",
        f"/backoffice/v2/accounts/{w['account'].id}/actions",
        {"state": "TERMINATED"},
    ),
    "an activity whose last link names no record": lambda w: (
        "POST",
        "/backoffice/v2/activities",
        activity_body(
            w,
            linked_to=[
                {"type": "CONTACT", "id": str(w["contact"].id)},
                {"type": "ORDER", "id": "00000000-0000-0000-0000-000000000000"},
            ],
        ),
    ),
    "an activity that ends before it starts": lambda w: (
        "POST",
        "/backoffice/v2/activities",
        activity_body(w, scheduled_on={"from_date": 1592813057, "to_date": 1592809457}),
    ),
    "an activity update whose name breaks a line": lambda w: (
        "PUT",
        f"/backoffice/v2/activities/{w['activity'].id}",
        {"name": "Call\nagain", "description": "Changed too"},
    ),
    "tags with an unknown one last": lambda w: (
        "PUT",
        f"/backoffice/v2/activities/{w['activity'].id}/tags",
        {"tags": ["known", {"unknown": "member"}]},
    ),
    "an insight's events with an unknown one": lambda w: (
        "POST",
        f"/backoffice/v2/insights/{w['insight']}/events",
        {"events": [{"event": "no.such.event"}]},
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_write_changes_no_row_and_sends_nothing(backoffice, world, case):
    method, url, body = REFUSED[case](world)
    before = rows_everywhere()

    response = getattr(backoffice, method.lower())(url, body, format="json")

    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"].startswith("CRM.EXCEPTIONS."), response.json()
    assert rows_everywhere() == before
    assert mail.outbox == []
