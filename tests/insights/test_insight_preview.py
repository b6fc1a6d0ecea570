"""POST /insights/{id}/preview: results with any part replaced, and the first 10 events; nothing saved."""

import pytest

from insights.models import Insight

from .world import epoch, series, values

pytestmark = pytest.mark.django_db

RANGE = {"date_from": epoch("2026-03-02 00:00"), "date_to": epoch("2026-03-05 00:00")}


@pytest.fixture
def busy(world):
    """Twelve phone notes of Ann over two days, and an email to Bob, a company."""
    with world.at("2026-03-01 09:00"):
        ann, acme = world.contact(code="C123"), world.contact(company=True)
    for hour in range(12):
        with world.at(f"2026-03-0{2 + hour % 2} {8 + hour:02d}:00"):
            world.communication(ann)
    with world.at("2026-03-04 08:00"):
        world.communication(acme, media="EMAIL", direction="OUTGOING")
        insight = world.insight([{"event": "COMMUNICATION_CREATED", "name": "All"}])
    world.ann, world.acme = ann, acme
    return insight


def preview(world, insight, **body):
    response = world.v2.post(f"/backoffice/v2/insights/{insight}/preview", {**RANGE, **body}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_saved_insight_and_its_newest_events(world, busy):
    answer = preview(world, busy)

    assert values(series(answer, event="COMMUNICATION_CREATED")) == [6, 6, 1]
    assert answer["insight_id"] == busy
    sample = answer["sample"]
    assert len(sample) == 10
    stamps = [record["occurred_on"] for record in sample]
    assert stamps == sorted(stamps, reverse=True)
    first = sample[0]
    assert first["occurred_on"] == epoch("2026-03-04 08:00")
    assert first["contact"] == {"id": world.acme, "name": "Company 2", "code": None}
    assert first["record"]["type"] == "COMMUNICATION"
    assert first["amount"] is None
    assert sample[1]["contact"]["code"] == "C123"


def test_overrides_are_used_and_not_saved(world, busy):
    before = Insight.objects.values().get(pk=busy)

    answer = preview(
        world,
        busy,
        events=[{"event": "COMMUNICATION_CREATED", "measurement": "UNIQUE_CONTACTS", "name": "Who"}],
        filters=[{"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["PHONE"]}],
        breakdowns=[{"dimension": "CONTACT_TYPE"}],
        limit=1,
        interval="WEEK",
    )

    only = answer["content"]
    assert [(i["name"], i["breakdown"], i["total"]) for i in only] == [("Who", {"CONTACT_TYPE": "PERSON"}, 1)]
    assert answer["interval"] == "WEEK" and answer["has_more"] is False
    assert all(record["contact"]["id"] == world.ann for record in answer["sample"])
    assert Insight.objects.values().get(pk=busy) == before


def test_a_bad_override_is_refused(world, busy):
    response = world.v2.post(
        f"/backoffice/v2/insights/{busy}/preview",
        {"events": [{"event": "LETTER_CREATED", "measurement": "TOTAL_AMOUNT"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["parameters"] == ["events[0].measurement", "LETTER_CREATED"]


def test_a_read_key_may_preview(world, busy, client_with):
    response = client_with("backoffice.read").post(f"/backoffice/v2/insights/{busy}/preview", RANGE, format="json")
    assert response.status_code == 200
    assert client_with("backoffice.write").post(f"/backoffice/v2/insights/{busy}/preview", RANGE).status_code == 403
