"""Dates at the ends of the calendar: refused with a 400 wherever a CRM.COM body carries one, and any date already
stored is shown (in UTC when the family's zone cannot hold it) by show and list, never a 500. Our own output format
(`Mon May 22 12:42:03 EEST 2017`) is read back."""

from datetime import UTC, datetime

import pytest

from communications.models import Communication, UnrestrictedParameter

pytestmark = pytest.mark.django_db

EDGES = ["9999-12-31T23:59:59Z", "9999-12-31", "0001-01-01", "0001-01-01T00:00:00Z", "Fri Dec 31 23:59:59 UTC 9999"]


def refused(response, field):
    assert response.status_code == 400, response.content
    status = response.json()["status"]
    assert status["code"] == "INVALID_VALUE"
    assert status["description"] == field
    assert "must fall between 0001-01-02 and 9999-12-30" in status["message"] or "must be a date" in status["message"]


@pytest.mark.parametrize("value", EDGES)
def test_create_refuses_a_udf_date_at_the_edge_and_writes_nothing(crm, contact, value):
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Call",
            "content": "Notes",
            "udf_date_1": value,
        },
    )

    refused(response, "udf_date_1")
    assert Communication.objects.count() == 0


@pytest.mark.parametrize("value", EDGES)
def test_create_refuses_a_date_parameter_at_the_edge(crm, contact, value):
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Call on #unrestricted_date.when",
            "content": "Notes",
            "unrestricted_parameter_set": [{"type": "DATE", "name": "when", "date_value": value}],
        },
    )

    refused(response, "unrestricted_parameter_set.when.date_value")
    assert Communication.objects.count() == 0
    assert UnrestrictedParameter.objects.count() == 0


@pytest.mark.parametrize("value", EDGES)
def test_update_refuses_udf_date_4_at_the_edge_and_keeps_the_draft(crm, make_communication, value):
    draft = make_communication(udf_date_4="2020-01-01T10:00:00")

    response = crm.post(
        "communications/update", {"communication_identifier": {"number": draft.number}, "udf_date_4": value}
    )

    refused(response, "udf_date_4")
    assert Communication.objects.get(pk=draft.pk).udf_date_4 == datetime(2020, 1, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize("value", EDGES)
def test_set_as_viewed_refuses_viewed_on_at_the_edge(crm, make_communication, value):
    communication = make_communication(state="COMPLETED", media="PHONE")

    response = crm.post(
        "communications/set_as_viewed",
        {"communication_identifier": {"number": communication.number}, "viewed_on": value},
    )

    refused(response, "viewed_on")
    assert Communication.objects.get(pk=communication.pk).viewed_on is None


def test_the_last_and_first_accepted_days_are_kept_and_shown(crm, contact):
    response = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Call on #unrestricted_date.when",
            "content": "Notes",
            "udf_date_1": "9999-12-30T23:59:59",
            "udf_date_2": "0001-01-02",
            "unrestricted_parameter_set": [{"type": "DATE", "name": "when", "date_value": "9999-12-30T12:00:00"}],
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["udf_date_1"], data["udf_date_2"]) == ("9999-12-30T23:59:59", "0001-01-02T00:00:00")
    assert data["subject"] == "Call on Thu Dec 30 12:00:00 EET 9999"


@pytest.mark.parametrize("fields_set", [None, "number", "udf_date_1,viewed_on,unrestricted_parameter_set"])
def test_show_and_list_survive_dates_stored_at_the_ends_of_the_calendar(crm, make_communication, contact, fields_set):
    communication = make_communication(
        state="COMPLETED",
        media="PHONE",
        parameters=[{"type": "DATE", "name": "when", "date_value": "2020-01-01"}],
    )
    end, start = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)
    Communication.objects.filter(pk=communication.pk).update(
        udf_date_1=end, udf_date_2=start, viewed_on=end, completed_on=end
    )
    UnrestrictedParameter.objects.filter(communication=communication).update(date_value=start)
    query = {"fields_set": fields_set} if fields_set else {}

    shown = crm.get("communications/show", communication_identifier=f"number={communication.number}", **query)
    listed = crm.get("communications/list", contact_information_identifier=f"id={contact.id.hex.upper()}", **query)

    assert shown.status_code == 200, shown.content
    assert listed.status_code == 200, listed.content
    (item,) = listed.json()["data"]
    assert item == shown.json()["data"]
    if fields_set is None:
        data = shown.json()["data"]
        assert data["viewed_on"] == "Fri Dec 31 23:59:59 UTC 9999"
        assert (data["udf_date_1"], data["udf_date_2"]) == ("9999-12-31T23:59:59", "0001-01-01T02:13:28")


@pytest.mark.parametrize(
    ("viewed_on", "shown"),
    [
        ("Mon May 22 12:42:03 EEST 2017", "Mon May 22 12:42:03 EEST 2017"),
        ("Mon Jan 15 08:30:00 EET 2024", "Mon Jan 15 08:30:00 EET 2024"),
        ("Mon Jan 15 08:30:00 UTC 2024", "Mon Jan 15 10:30:00 EET 2024"),
        # The hour that happens twice when summer time ends: the zone's name says which is meant.
        ("Sun Oct 27 03:30:00 EEST 2024", "Sun Oct 27 03:30:00 EEST 2024"),
        ("Sun Oct 27 03:30:00 EET 2024", "Sun Oct 27 03:30:00 EET 2024"),
    ],
)
def test_viewed_on_accepts_what_the_family_prints(crm, make_communication, viewed_on, shown):
    communication = make_communication(state="COMPLETED", media="PHONE")

    response = crm.post(
        "communications/set_as_viewed",
        {"communication_identifier": {"number": communication.number}, "viewed_on": viewed_on},
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["viewed_on"] == shown


def test_a_date_parameter_accepts_what_the_family_prints(crm, contact):
    first = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Due #unrestricted_date.due",
            "content": "Notes",
            "unrestricted_parameter_set": [{"type": "DATE", "name": "due", "date_value": "2014-05-05T15:49:59"}],
        },
    ).json()["data"]
    printed = first["unrestricted_parameter_set"][0]["date_value"]

    again = crm.post(
        "communications/create",
        {
            "contact_information_identifier": {"id": contact.id.hex.upper()},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": "Due #unrestricted_date.due",
            "content": "Notes",
            "unrestricted_parameter_set": [{"type": "DATE", "name": "due", "date_value": printed}],
        },
    )

    assert again.status_code == 200, again.content
    assert printed == "Mon May 05 15:49:59 EEST 2014"
    assert again.json()["data"]["subject"] == "Due Mon May 05 15:49:59 EEST 2014"


def test_a_zone_name_that_is_not_the_familys_is_refused(crm, make_communication):
    communication = make_communication(state="COMPLETED", media="PHONE")

    response = crm.post(
        "communications/set_as_viewed",
        {"communication_identifier": {"number": communication.number}, "viewed_on": "Mon May 22 12:42:03 CEST 2017"},
    )

    assert response.status_code == 400
    assert "CEST is not the time zone" in response.json()["status"]["message"]
    assert Communication.objects.get(pk=communication.pk).viewed_on is None
