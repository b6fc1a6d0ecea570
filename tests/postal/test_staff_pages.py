"""Postal letters on the staff dashboard (the customer's page: tests/insights/)."""

import pytest

from postal import staff as postal_staff
from postal.models import Letter

pytestmark = pytest.mark.django_db


def test_letters_by_status_link_to_the_filtered_list(make_mailing, postal_account):
    make_mailing(postal_account, ["a", "b", "c"])
    Letter.objects.filter(ref="c").update(status="Lodged")
    make_mailing(postal_account, ["t"], is_test=True)

    (chart,) = postal_staff.dashboard_charts()

    bars = {bar.label: bar for bar in chart.bars}
    assert [(label, bar.value) for label, bar in bars.items()] == [
        ("Received", 2),
        ("Lodged", 1),
        ("Cancelled", 0),
        ("Returned", 0),
    ]
    assert bars["Lodged"].url == "/admin/postal/letter/?status__exact=Lodged&is_test__exact=0"


def test_the_list_behind_a_bar_shows_those_letters(client, staff_user, make_mailing, postal_account):
    make_mailing(postal_account, ["kept", "gone"])
    lodged = Letter.objects.get(ref="gone")
    Letter.objects.filter(pk=lodged.pk).update(status="Lodged")
    client.force_login(staff_user)

    page = client.get("/admin/postal/letter/?status__exact=Lodged").content.decode()

    assert f"/admin/postal/letter/{lodged.pk}/change/" in page
    assert f"/admin/postal/letter/{Letter.objects.get(ref='kept').pk}/change/" not in page
    assert "Postal letters by status" in client.get("/admin/").content.decode()
