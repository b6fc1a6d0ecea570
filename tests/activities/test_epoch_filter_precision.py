"""GET /activities/ epoch filters compare at the precision the list reports (whole seconds): an activity shown
with `created_on: C` is not returned by `created_on[gt]=C` and is returned by `created_on[lte]=C`, though the
stored time keeps a fraction of a second. Incremental syncs get no duplicate at the boundary and lose nothing."""

from datetime import UTC, datetime

import pytest
import time_machine

from activities import services

pytestmark = pytest.mark.django_db

URL = "/backoffice/v2/activities/"
C = 1700000000
DONE = 1700003600


@pytest.fixture
def reported(backoffice, make_activity):
    """One activity created at C + 0.75 s and completed at DONE + 0.4 s, as the list reports it."""
    with time_machine.travel(datetime.fromtimestamp(C + 0.75, tz=UTC), tick=False):
        activity = make_activity(name="Call customer")
    services.complete_activity(activity, on=datetime.fromtimestamp(DONE + 0.4, tz=UTC))
    (shown,) = backoffice.get(URL).json()["content"]
    return shown


def found(backoffice, **query) -> bool:
    response = backoffice.get(URL, query)
    assert response.status_code == 200, response.content
    return len(response.json()["content"]) == 1


def test_the_list_reports_whole_seconds(reported):
    assert reported["key_dates"]["created_on"] == C


@pytest.mark.parametrize(
    ("field", "at"),
    # completed_on is not shown in the list; its filter takes whole seconds all the same.
    [("created_on", C), ("completed_on", DONE)],
)
def test_each_operator_compares_what_is_reported(backoffice, reported, field, at):
    assert not found(backoffice, **{f"{field}[gt]": at})
    assert found(backoffice, **{f"{field}[gte]": at})
    assert not found(backoffice, **{f"{field}[lt]": at})
    assert found(backoffice, **{f"{field}[lte]": at})
    assert found(backoffice, **{f"{field}[gt]": at - 1})
    assert not found(backoffice, **{f"{field}[gte]": at + 1})
    assert found(backoffice, **{f"{field}[lt]": at + 1})
    assert not found(backoffice, **{f"{field}[lte]": at - 1})


def test_a_closed_window_ending_at_the_reported_second_holds_it(backoffice, reported):
    assert found(backoffice, **{"created_on[gt]": C - 60, "created_on[lte]": C})
    assert not found(backoffice, **{"created_on[gt]": C, "created_on[lte]": C + 60})


def test_the_last_second_of_the_calendar_is_a_valid_bound(backoffice, reported):
    last = 253402300799  # 9999-12-31T23:59:59Z

    assert found(backoffice, **{"created_on[lte]": last})
    assert not found(backoffice, **{"created_on[gt]": last})
