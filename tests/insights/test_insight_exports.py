"""POST /insights/{id}/exports: the results or the records as a streamed CSV attachment."""

import csv
import io

import pytest

from insights.engine import listing

from .world import epoch, series

pytestmark = pytest.mark.django_db

RANGE = {"date_from": epoch("2026-03-02 00:00"), "date_to": epoch("2026-03-05 00:00")}


@pytest.fixture
def insight(world):
    with world.at("2026-03-01 09:00"):
        ann, acme = world.contact(code="C1"), world.contact(company=True)
    world.postal_account("ABC12345", contact=acme)
    with world.at("2026-03-02 10:00"):
        world.communication(ann)
    with world.at("2026-03-02 11:00"):
        world.communication(acme, media="SMS", direction="OUTGOING")
    with world.at("2026-03-04 10:00"):
        world.communication(ann)
        world.postal_letters("ABC12345", ["r1"])
    return world.insight(
        [{"event": "COMMUNICATION_CREATED", "name": "Notes"}, {"event": "POSTAL_LETTER_RECEIVED", "name": "Post"}],
        breakdowns=["CONTACT_TYPE"],
    )


def export(client, insight, **body):
    return client.post(f"/backoffice/v2/insights/{insight}/exports", {**RANGE, **body}, format="json")


def rows(response) -> list[list[str]]:
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_results_one_row_per_series_and_day(world, insight):
    response = export(world.v2, insight, format="CSV", type="RESULTS")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chart-results-20260302-20260305.csv"'
    table = rows(response)
    assert table[0] == ["period_start", "event", "name", "measurement", "breakdown_1", "breakdown_2", "value"]
    results = world.results(insight, **RANGE)
    expected = [
        [
            f"{day}T00:00:00Z",
            item["event"],
            item["name"],
            "COUNT",
            item["breakdown"]["CONTACT_TYPE"],
            "",
            str(point["value"]),
        ]
        for item in results["content"]
        for day, point in zip(("2026-03-02", "2026-03-03", "2026-03-04"), item["data"], strict=True)
    ]
    assert table[1:] == expected
    assert ["2026-03-04T00:00:00Z", "COMMUNICATION_CREATED", "Notes", "COUNT", "PERSON", "", "1"] in table
    assert series(results, name="Post")["total"] == 1


def test_records_one_row_per_event_newest_first(world, insight):
    response = export(world.v2, insight, type="RECORDS")

    table = rows(response)
    assert table[0] == [
        "event",
        "occurred_on",
        "contact_id",
        "contact_code",
        "contact_name",
        "record_type",
        "record_id",
        "amount",
    ]
    assert [(r[0], r[1], r[3], r[5]) for r in table[1:]] == [
        ("COMMUNICATION_CREATED", "2026-03-04T10:00:00Z", "C1", "COMMUNICATION"),
        ("POSTAL_LETTER_RECEIVED", "2026-03-04T10:00:00Z", "", "POSTAL_LETTER"),
        ("COMMUNICATION_CREATED", "2026-03-02T11:00:00Z", "", "COMMUNICATION"),
        ("COMMUNICATION_CREATED", "2026-03-02T10:00:00Z", "C1", "COMMUNICATION"),
    ]
    assert table[2][7] == "1.83" and table[1][7] == ""
    assert table[2][4] == "Company 2"


def test_the_accept_header_may_ask_for_csv(world, insight):
    response = world.v2.post(
        f"/backoffice/v2/insights/{insight}/exports",
        {**RANGE, "type": "RESULTS"},
        format="json",
        HTTP_ACCEPT="text/csv",
    )
    assert response.status_code == 200
    assert len(rows(response)) == 1 + 3 * 3  # PERSON and COMPANY notes, the company's letter; three days each


def test_too_many_records_is_refused_before_anything_is_sent(world, insight, monkeypatch):
    monkeypatch.setattr(listing, "MAX_RECORDS", 3)

    response = export(world.v2, insight, type="RECORDS", HTTP_ACCEPT="text/csv")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["parameters"] == ["date_from"]
    assert "narrow the dates" in answer["message"]
    assert export(world.v2, insight, type="RESULTS").status_code == 200


@pytest.mark.parametrize(
    ("body", "parameter"),
    [({"format": "PDF"}, "format"), ({"type": "ROWS"}, "type"), ({"interval": "YEAR"}, "interval")],
)
def test_bad_export_options_are_refused(world, insight, body, parameter):
    response = export(world.v2, insight, **body)
    assert response.status_code == 400
    assert response.json()["parameters"][0] == parameter


def test_a_read_key_may_export(world, insight, client_with):
    assert export(client_with("backoffice.read"), insight).status_code == 200
    assert export(client_with("backoffice.write"), insight).status_code == 403
