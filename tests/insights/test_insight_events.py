"""POST /insights/{id}/events: replaces the set (1 to 5); measurements an event cannot have are refused."""

import pytest

from insights.models import Insight

pytestmark = pytest.mark.django_db


@pytest.fixture
def insight(backoffice):
    return backoffice.post("/backoffice/v2/insights", {"name": "Chart"}, format="json").json()["id"]


def post(client, insight, body):
    return client.post(f"/backoffice/v2/insights/{insight}/events", body, format="json")


def test_the_issues_example_sets_the_events(backoffice, insight):
    response = post(
        backoffice, insight, {"events": [{"event": "COMMUNICATION_CREATED", "measurement": "COUNT", "name": "All"}]}
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"id": insight}
    assert Insight.objects.get().events == [{"event": "COMMUNICATION_CREATED", "measurement": "COUNT", "name": "All"}]


def test_the_set_is_replaced_and_defaults_filled_in(backoffice, insight):
    post(backoffice, insight, {"events": [{"event": "COMMUNICATION_CREATED"}, {"event": "LETTER_CREATED"}]})
    post(backoffice, insight, {"events": [{"event": "ACTIVITY_CREATED"}]})

    assert Insight.objects.get().events == [
        {"event": "ACTIVITY_CREATED", "measurement": "COUNT", "name": "ACTIVITY_CREATED"}
    ]


@pytest.mark.parametrize(
    ("body", "parameter", "words"),
    [
        ({}, "events", "required"),
        ({"events": []}, "events", "1 to 5"),
        ({"events": [{"event": "LETTER_CREATED"}] * 6}, "events", "1 to 5"),
        ({"events": "LETTER_CREATED"}, "events", "list"),
        ({"events": ["LETTER_CREATED"]}, "events[0]", "object"),
        ({"events": [{"measurement": "COUNT"}]}, "events[0].event", "required"),
        ({"events": [{"event": "INVOICE_PAID"}]}, "events[0].event", "INVOICE_PAID is not an event"),
        ({"events": [{"event": "LETTER_CREATED", "measurement": "MEDIAN"}]}, "events[0].measurement", "MEDIAN"),
        ({"events": [{"event": "LETTER_CREATED", "name": "n" * 101}]}, "events[0].name", "100"),
    ],
)
def test_a_bad_set_is_refused_and_the_old_one_kept(backoffice, insight, body, parameter, words):
    post(backoffice, insight, {"events": [{"event": "LETTER_CREATED"}]})

    response = post(backoffice, insight, body)

    assert response.status_code == 400
    answer = response.json()
    assert answer["parameters"][0] == parameter
    assert words in answer["message"]
    assert [e["event"] for e in Insight.objects.get().events] == ["LETTER_CREATED"]


@pytest.mark.parametrize("measurement", ["TOTAL_AMOUNT", "AVERAGE_AMOUNT"])
def test_an_amount_of_an_event_without_one_is_refused_naming_it(backoffice, insight, measurement):
    response = post(
        backoffice,
        insight,
        {
            "events": [
                {"event": "POSTAL_LETTER_RECEIVED", "measurement": measurement},
                {"event": "LETTER_EMAILED", "measurement": measurement},
            ]
        },
    )

    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "CRM.EXCEPTIONS.INVALIDVALUEEXCEPTION"
    assert answer["parameters"] == ["events[1].measurement", "LETTER_EMAILED"]
    assert "LETTER_EMAILED has no amount" in answer["message"]
    assert Insight.objects.get().events == []


@pytest.mark.parametrize(
    "event", ["POSTAL_LETTER_RECEIVED", "POSTAL_LETTER_LODGED", "POSTAL_LETTER_RETURNED", "ACCOUNT_TERMINATED"]
)
def test_events_with_an_amount_take_every_measurement(backoffice, insight, event):
    body = {
        "events": [
            {"event": event, "measurement": m} for m in ("COUNT", "UNIQUE_CONTACTS", "TOTAL_AMOUNT", "AVERAGE_AMOUNT")
        ]
    }
    assert post(backoffice, insight, body).status_code == 200


def test_new_events_must_keep_the_filters_meaningful(backoffice, insight):
    post(backoffice, insight, {"events": [{"event": "COMMUNICATION_CREATED"}]})
    backoffice.post(
        f"/backoffice/v2/insights/{insight}/filters",
        {"filters": [{"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["EMAIL"]}]},
        format="json",
    )

    response = post(backoffice, insight, {"events": [{"event": "LETTER_CREATED"}]})

    assert response.status_code == 400
    assert response.json()["parameters"] == ["filters[0].property", "COMMUNICATION_MEDIA"]
    assert "not a property of LETTER_CREATED" in response.json()["message"]
    assert [e["event"] for e in Insight.objects.get().events] == ["COMMUNICATION_CREATED"]


def test_setting_events_needs_the_write_scope(client_with, insight):
    response = post(client_with("backoffice.read"), insight, {"events": [{"event": "LETTER_CREATED"}]})
    assert response.status_code == 403
    assert Insight.objects.get().events == []
