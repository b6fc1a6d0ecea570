"""Any admin list, as filtered and searched, downloads as CSV holding exactly the rows the list shows."""

import csv
import io

import pytest

from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def letters(make_mailing, postal_account):
    make_mailing(postal_account, ["kept-1", "kept-2", "gone"])
    make_mailing(postal_account, ["rehearsal"], is_test=True)
    Letter.objects.filter(ref="gone").update(status=LetterStatus.RETURNED, return_reason="Addressee unknown")


def test_the_export_holds_exactly_the_filtered_rows_with_the_lists_columns(staff, letters):
    response = staff.get("/admin/postal/letter/export.csv?status__exact=Received&is_test__exact=0")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="letters-')
    rows = _rows(response)
    assert sorted(row["reference"] for row in rows) == ["kept-1", "kept-2"]
    assert {row["status"] for row in rows} == {"Received"}


def test_the_export_follows_the_search_and_covers_every_page(staff, make_contact):
    for n in range(120):
        make_contact(first_name="Ann", last_name=f"Page{n:03d}", email=f"ann{n}@example.com")
    make_contact(first_name="Bob", last_name="Other", email="bob@example.com")

    listed = staff.get("/admin/accounts/contact/?q=Page")
    response = staff.get("/admin/accounts/contact/export.csv?q=Page")

    assert listed.context["cl"].result_count == 120
    rows = _rows(response)
    assert len(rows) == 120
    assert not [row for row in rows if "Other" in " ".join(row.values())]


def test_the_list_links_to_its_own_export_with_its_filters(staff, letters):
    page = staff.get("/admin/postal/letter/?status__exact=Returned").content.decode()

    assert 'href="/admin/postal/letter/export.csv?status__exact=Returned"' in page


def test_staff_without_permission_to_view_the_list_cannot_export_it(client, django_user_model, letters):
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)

    response = client.get("/admin/postal/letter/export.csv")

    assert response.status_code == 403
    page = response.content.decode()
    assert "You are not allowed to see this page" in page and "kept-1" not in page


def test_a_filter_the_list_does_not_know_is_refused_plainly(staff, letters):
    response = staff.get("/admin/postal/letter/export.csv?no_such_field=1")

    assert response.status_code == 400
    assert "filters are not valid" in response.content.decode()
