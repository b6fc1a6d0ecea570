"""Pages no view answered are the back-office's own pages, with a way back, never a bare error."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _ways_back(page: str) -> bool:
    return 'href="/admin/"' in page and "Back to the back-office" in page


def test_an_unknown_address_is_a_styled_404_with_a_way_back(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no such page" in page and "admin/css/base.css" in page
    assert _ways_back(page)


def test_an_unknown_admin_address_is_the_same_page(staff):
    response = staff.get("/admin/accounts/no-such-list/")

    assert response.status_code == 404
    assert "There is no such page" in response.content.decode()


def test_an_unexpected_error_is_a_styled_500_that_reveals_nothing(staff_user, monkeypatch):
    def dashboard_charts(user):
        raise ValueError("a secret detail of the bug")

    monkeypatch.setattr("accounts.admin_site.dashboard_charts", dashboard_charts)
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    response = client.get("/admin/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and _ways_back(page)
    assert "secret detail" not in page and "Traceback" not in page


def test_the_back_office_offers_no_view_site_link(staff):
    page = staff.get("/admin/").content.decode()

    assert "View site" not in page
