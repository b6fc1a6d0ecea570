"""Staff in the back-office: what they change is recorded as theirs, and each record's page tells its history."""

import pytest

from accounts.history_words import acted_by, history_lines
from accounts.models import Account, ApiKey
from activities.models import ActivityType

pytestmark = pytest.mark.django_db


def test_an_edit_in_the_admin_is_the_staff_members_and_shows_on_the_page(staff, site_visit):
    url = f"/admin/activities/activitytype/{site_visit.pk}/change/"

    response = staff.post(url, {"name": "site inspection", "color": "876FD5", "is_test": ""})

    assert response.status_code == 302, response.content
    assert ActivityType.objects.get(pk=site_visit.pk).name == "site inspection"
    latest = history_lines(site_visit)[0].text
    assert latest == "staff in the back-office changed the name from 'site visit' to 'site inspection'"
    page = staff.get(url).content.decode()
    assert "Who changed what" in page
    assert (
        "staff in the back-office changed the name from &#x27;site visit&#x27; to &#x27;site inspection&#x27;" in page
    )


def test_an_admin_action_is_the_staff_members(staff, make_account, contact):
    account = make_account(contact)

    staff.post(
        "/admin/accounts/account/",
        {"action": "suspend", "confirm": "yes", "_selected_action": [account.pk]},
    )

    assert Account.objects.get(pk=account.pk).state == "SUSPENDED"
    assert history_lines(account)[0].text == "staff in the back-office changed the state from Active to Suspended"


def test_revoking_a_key_says_so_in_a_word(staff, make_api_key):
    make_api_key()
    key = ApiKey.objects.get()

    staff.post("/admin/accounts/apikey/", {"action": "revoke", "confirm": "yes", "_selected_action": [key.pk]})

    assert ApiKey.objects.get(pk=key.pk).revoked_on is not None
    assert history_lines(key)[0].text == "staff in the back-office revoked it"


def test_a_page_without_changes_yet_says_so(staff, site_visit):
    site_visit.history.all().delete()

    page = staff.get(f"/admin/activities/activitytype/{site_visit.pk}/change/").content.decode()

    assert "No changes recorded yet." in page


def test_the_status_history_names_who_moved_it(staff, make_activity):
    activity = make_activity()

    staff.post(
        "/admin/activities/activity/",
        {"action": "complete", "confirm": "yes", "outcome": "Called back", "_selected_action": [activity.pk]},
    )

    step = activity.state_history.last()
    assert (step.state, acted_by(step)) == ("COMPLETED", "staff in the back-office")
    page = staff.get(f"/admin/activities/activity/{activity.pk}/change/").content.decode()
    assert "staff in the back-office" in page
