"""The admin's Insights screen: build one with pick-lists, refused as the API refuses, see it, download it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from accounts.models import Team
from insights.models import Insight

from .world import epoch

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Back-office staff"))
    client.force_login(user)
    return client


def builder(**fields) -> dict:
    form = {"name": "Queue work", "description": "", "breakdown_limit": "10"}
    for n in range(1, 6):
        form |= {f"event_{n}": "", f"measurement_{n}": "COUNT", f"series_name_{n}": ""}
        form |= {f"property_{n}": "", f"operator_{n}": "EQUALS", f"values_{n}": ""}
    form |= {"breakdown_1": "", "breakdown_2": ""}
    return form | fields


def test_staff_build_an_insight_with_the_pick_lists(staff):
    response = staff.post(
        reverse("admin:insights_insight_add"),
        builder(
            event_1="ACTIVITY_CREATED",
            series_name_1="Planned",
            event_3="ACTIVITY_CANCELLED",
            property_2="CONTACT_TYPE",
            operator_2="IN",
            values_2="PERSON, COMPANY",
            breakdown_1="ASSIGNED_TEAM",
            breakdown_limit="5",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    insight = Insight.objects.get()
    assert response["Location"] == reverse("admin:insights_insight_changelist")
    assert insight.events == [
        {"event": "ACTIVITY_CREATED", "measurement": "COUNT", "name": "Planned"},
        {"event": "ACTIVITY_CANCELLED", "measurement": "COUNT", "name": "ACTIVITY_CANCELLED"},
    ]
    assert insight.filters == [{"property": "CONTACT_TYPE", "operator": "IN", "values": ["PERSON", "COMPANY"]}]
    assert (insight.breakdowns, insight.breakdown_limit, insight.is_test) == (["ASSIGNED_TEAM"], 5, False)
    assert insight.created_by == {"id": str(User.objects.get().identifier.guid), "name": "clerk"}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({}, "event_1", "at least one event"),
        (
            {"event_2": "LETTER_CREATED", "measurement_2": "TOTAL_AMOUNT"},
            "measurement_2",
            "LETTER_CREATED has no amount",
        ),
        (
            {"event_1": "LETTER_CREATED", "property_4": "COMMUNICATION_MEDIA", "values_4": "EMAIL"},
            "property_4",
            "not a property of LETTER_CREATED",
        ),
        ({"event_1": "LETTER_CREATED", "property_1": "CONTACT_TYPE", "values_1": "ROBOT"}, "values_1", "ROBOT"),
        ({"event_1": "LETTER_CREATED", "breakdown_2": "POSTAL_TRANSPORT"}, "breakdown_2", "not a property"),
    ],
)
def test_the_domains_refusals_show_at_their_field(staff, fields, field, words):
    response = staff.post(reverse("admin:insights_insight_add"), builder(**fields))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert words in " ".join(errors[field]), errors
    assert not Insight.objects.exists()


@pytest.fixture
def charted(world):
    with world.at("2026-03-01 09:00"):
        ann = world.contact(code="C9")
        support = Team.objects.create(name="Support desk")
    for day, team in (("02", support.pk), ("02", None), ("04", support.pk)):
        with world.at(f"2026-03-{day} 10:00"):
            world.activity(ann, team=str(team) if team else None)
    return world.insight([{"event": "ACTIVITY_CREATED", "name": "Planned"}], breakdowns=["ASSIGNED_TEAM"])


def test_the_chart_the_sample_and_the_downloads(staff, charted):
    page = reverse("admin:insights_insight_change", args=[charted])
    query = {"date_from": "2026-03-02", "date_to": "2026-03-05", "interval": "DAY"}

    response = staff.get(page, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<rect ") == 8  # two series (the team, no team) × four days: bars
    assert "Planned · Support desk" in html and "Planned · No assigned team" in html
    assert "02 Mar 2026".lstrip("0") in html or "2 Mar 2026" in html
    assert 'data-label="Customer"><a href="/admin/accounts/contact/' in html and "(C9)" in html
    assert html.count('data-label="Event">Activity created') == 3
    results_link = reverse("admin:insights_insight_export", args=[charted, "results"])
    assert f'href="{results_link}?date_from=2026-03-02' in html

    download = staff.get(results_link, query)
    table = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert download["Content-Disposition"].startswith('attachment; filename="chart-results-20260302-20260306')
    assert [row[-1] for row in table[1:]] == ["1", "0", "1", "0", "1", "0", "0", "0"]

    records = staff.get(reverse("admin:insights_insight_export", args=[charted, "records"]), query)
    rows = list(csv.reader(io.StringIO(b"".join(records.streaming_content).decode())))
    assert [row[1] for row in rows[1:]] == ["2026-03-04T10:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"]


def test_a_long_period_is_drawn_as_lines(staff, charted):
    response = staff.get(reverse("admin:insights_insight_change", args=[charted]), {"frequency": "LAST_SIX_MONTHS"})
    assert response.content.decode().count("<polyline ") == 0  # nothing in the last six months: no series at all
    response = staff.get(
        reverse("admin:insights_insight_change", args=[charted]),
        {"date_from": "2026-02-01", "date_to": "2026-03-31"},
    )
    assert response.content.decode().count("<polyline ") == 2


def test_staff_type_names_and_labels_not_codes(staff, charted):
    team = Team.objects.get(name="Support desk")
    page = reverse("admin:insights_insight_change", args=[charted])
    form = builder(
        name="Chart",
        event_1="ACTIVITY_CREATED",
        series_name_1="Planned",
        property_1="ASSIGNED_TEAM",
        operator_1="IN",
        values_1="support DESK",
        property_2="CONTACT_TYPE",
        operator_2="EQUALS",
        values_2="person",
        breakdown_1="ASSIGNED_TEAM",
    )

    assert staff.post(page, form).status_code == 302
    insight = Insight.objects.get(pk=charted)
    assert insight.filters == [
        {"property": "ASSIGNED_TEAM", "operator": "IN", "values": [str(team.pk)]},
        {"property": "CONTACT_TYPE", "operator": "EQUALS", "values": ["PERSON"]},
    ]
    shown = staff.get(page).context["adminform"].form
    assert (shown.initial["values_1"], shown.initial["values_2"]) == ("Support desk", "Person")


def test_a_refused_period_is_explained_not_drawn(staff, charted):
    response = staff.get(
        reverse("admin:insights_insight_change", args=[charted]),
        {"date_from": "2020-01-01", "date_to": "2026-01-01", "interval": "DAY"},
    )
    assert response.status_code == 200
    assert "more than 400" in response.content.decode()


def test_staff_without_the_permission_cannot_download(client, charted):
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    response = client.get(reverse("admin:insights_insight_export", args=[charted, "results"]))
    assert response.status_code == 403


def test_the_customer_page_shows_the_analytics(world, client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "x"))
    ann = world.contact(code="C5")
    world.communication(ann)
    world.communication(ann, media="EMAIL", direction="OUTGOING")
    world.account(ann, balance="12.50")

    html = client.get(reverse("admin:accounts_contact_change", args=[ann])).content.decode()

    assert "Analytics, last six months" in html
    assert '<strong>Active</strong> <span class="ws-figure-note">last in touch' in html
    assert "Balance EUR</span> <strong>12.50</strong>" in html and "1 of 1 accounts active, overdue 0.00" in html
    assert "Communications</span> <strong>2</strong>" in html
    assert "1 email, 1 phone; 1 emails or SMS sent, 0 failed" in html


def test_epoch_of_a_form_date_is_midnight_utc():
    from insights.forms import PeriodForm

    form = PeriodForm({"date_from": "2026-03-02", "date_to": "2026-03-04", "interval": "WEEK"})
    assert form.params() == {
        "interval": "WEEK",
        "date_from": epoch("2026-03-02 00:00"),
        "date_to": epoch("2026-03-05 00:00"),
    }
