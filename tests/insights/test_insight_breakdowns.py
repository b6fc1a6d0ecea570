"""POST /insights/{id}/breakdowns: 0 to 2 dimensions of every event, and how many values are kept (1 to 50)."""

import pytest

from insights.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def insight(backoffice):
    created = backoffice.post("/backoffice/v2/insights", {"name": "Chart"}, format="json").json()["id"]
    backoffice.post(
        f"/backoffice/v2/insights/{created}/events",
        {"events": [{"event": "COMMUNICATION_CREATED"}, {"event": "QUEUE_ENTRY_REJECTED"}]},
        format="json",
    )
    return created


def post(client, insight, body):
    return client.post(f"/backoffice/v2/insights/{insight}/breakdowns", body, format="json")


def test_the_issues_example(backoffice, insight):
    response = post(backoffice, insight, {"breakdowns": [{"dimension": "COMMUNICATION_MEDIA"}], "limit": 10})

    assert response.status_code == 200, response.content
    assert response.json() == {"id": insight}
    stored = Insight.objects.get()
    assert (stored.breakdowns, stored.breakdown_limit) == (["COMMUNICATION_MEDIA"], 10)


def test_two_dimensions_the_default_limit_and_removal(backoffice, insight):
    post(
        backoffice,
        insight,
        {"breakdowns": [{"dimension": "QUEUE_EXTERNAL_SYSTEM"}, {"dimension": "CONTACT_ID"}], "limit": 50},
    )
    post(backoffice, insight, {"breakdowns": [{"dimension": "CONTACT_COUNTRY"}]})
    stored = Insight.objects.get()
    assert (stored.breakdowns, stored.breakdown_limit) == (["CONTACT_COUNTRY"], 10)

    post(backoffice, insight, {"breakdowns": []})
    assert Insight.objects.get().breakdowns == []


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"breakdowns": [{"dimension": "AMOUNT"}]}, "breakdowns[0].dimension"),
        ({"breakdowns": [{"dimension": "COLOUR"}]}, "breakdowns[0].dimension"),
        ({"breakdowns": [{"dimension": "LETTER_TYPE"}]}, "breakdowns[0].dimension"),
        ({"breakdowns": [{"dimension": "CONTACT_TYPE"}, {"dimension": "CONTACT_TYPE"}]}, "breakdowns[1].dimension"),
        ({"breakdowns": [{"dimension": d} for d in ("CONTACT_TYPE", "CONTACT_ID", "CONTACT_COUNTRY")]}, "breakdowns"),
        ({"breakdowns": [{"dimension": "CONTACT_TYPE"}], "limit": 0}, "limit"),
        ({"breakdowns": [{"dimension": "CONTACT_TYPE"}], "limit": 51}, "limit"),
        ({"breakdowns": [{"dimension": "CONTACT_TYPE"}], "limit": 2.5}, "limit"),
        ({"breakdowns": [{"dimension": "CONTACT_TYPE"}], "limit": "ten"}, "limit"),
        ({"limit": 5}, "breakdowns"),
    ],
)
def test_a_bad_breakdown_is_refused_and_the_old_one_kept(backoffice, insight, body, parameter):
    post(backoffice, insight, {"breakdowns": [{"dimension": "COMMUNICATION_MEDIA"}], "limit": 3})

    response = post(backoffice, insight, body)

    assert response.status_code == 400
    assert response.json()["parameters"][0] == parameter
    stored = Insight.objects.get()
    assert (stored.breakdowns, stored.breakdown_limit) == (["COMMUNICATION_MEDIA"], 3)
