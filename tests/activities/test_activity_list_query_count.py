"""Guards against N+1: a page costs the same number of queries with 1 entry as with 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities/"
EVERYTHING = {"include_tags": "true", "include_custom_fields": "true", "size": 20}


@pytest.fixture
def fill(make_activity, agent, support, vip, maintenance, back_office):
    def fill(count):
        for number in range(count):
            activity = make_activity(
                name=f"Activity {number}",
                assigned_user=agent,
                assigned_team=support,
                custom_fields={"back_office": "B"},
            )
            activity.tags.add(vip, maintenance)

    return fill


def queries(client, params) -> int:
    client.get(URL, params)  # warm: the key's last-used stamp is written at most once a minute
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_page_costs_the_same_with_one_entry_or_twenty(backoffice, fill):
    fill(1)
    with_one = queries(backoffice, EVERYTHING)
    fill(24)

    with_twenty = queries(backoffice, EVERYTHING)

    assert with_twenty == with_one
    # key lookup, count, page (with type, contact, user and team joined), tags, custom fields
    assert with_twenty == 5


def test_without_includes_no_tags_or_custom_fields_are_read(backoffice, fill):
    fill(3)

    assert queries(backoffice, {"size": 20}) == 3


def test_get_costs_a_fixed_number_of_queries(backoffice, make_activity, back_office, agent, support):
    activity = make_activity(assigned_user=agent, assigned_team=support, custom_fields={"back_office": "B"})
    url = f"/backoffice/v2/activities/{activity.id}"
    backoffice.get(url)

    with CaptureQueriesContext(connection) as captured:
        assert backoffice.get(url).status_code == 200

    # key lookup, the activity (with everything one-to-one joined), custom fields, state history
    assert len(captured.captured_queries) == 4
