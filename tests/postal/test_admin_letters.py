"""The letters in the admin: filters, search, the PDF, and the cancel action."""

import pytest
from django.contrib.messages import get_messages

from postal.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db

URL = "/admin/postal/letter/"


@pytest.fixture
def postal_letters(postal_account, other_account, make_mailing):
    first = make_mailing(postal_account, ["myref1", "myref2"])
    second = make_mailing(other_account, ["theirs"])
    Letter.objects.filter(ref="myref2").update(status=LetterStatus.LODGED)
    return first, second


def refs_listed(response) -> set[str]:
    return {letter.ref for letter in response.context["cl"].result_list}


def test_filters_by_status_account_and_mailing(admin_client, postal_letters, postal_account):
    first, second = postal_letters

    assert refs_listed(admin_client.get(URL, {"status__exact": "Lodged"})) == {"myref2"}
    assert refs_listed(admin_client.get(URL, {"postal_account__id__exact": postal_account.pk})) == {"myref1", "myref2"}
    assert refs_listed(admin_client.get(URL, {"mailing": second.epid})) == {"theirs"}


def test_search_by_ref_or_epid(admin_client, postal_letters):
    first, _ = postal_letters

    assert refs_listed(admin_client.get(URL, {"q": "theirs"})) == {"theirs"}
    assert refs_listed(admin_client.get(URL, {"q": first.epid})) == {"myref1", "myref2"}


def test_the_mailing_list_links_to_its_letters(admin_client, postal_letters):
    first, _ = postal_letters
    page = admin_client.get("/admin/postal/mailing/").content.decode()
    assert f"/admin/postal/letter/?mailing={first.epid}" in page


def test_the_letter_page_opens_its_pdf(admin_client, postal_letters, pdf):
    letter = Letter.objects.get(ref="myref1")

    page = admin_client.get(f"{URL}{letter.dbid}/change/")
    document = admin_client.get(f"{URL}{letter.dbid}/pdf/")

    assert f"{URL}{letter.dbid}/pdf/" in page.content.decode()
    assert document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content) == pdf


def test_cancel_action_cancels_received_letters_and_names_those_it_cannot(admin_client, postal_letters):
    chosen = Letter.objects.filter(ref__in=["myref1", "myref2"])

    response = admin_client.post(
        URL,
        {"action": "cancel", "confirm": "yes", "_selected_action": [str(letter.pk) for letter in chosen]},
        follow=True,
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Cancelled") and "myref1" in m for m in messages)
    assert any("Not cancelled" in m and "myref2" in m and "is Lodged" in m for m in messages)
    assert dict(Letter.objects.values_list("ref", "status")) == {
        "myref1": "Cancelled",
        "myref2": "Lodged",
        "theirs": "Received",
    }


def test_letters_cannot_be_added_edited_or_deleted_by_hand(admin_client, postal_letters):
    letter = Letter.objects.get(ref="myref1")

    assert admin_client.get(f"{URL}add/").status_code == 403
    assert admin_client.get(f"{URL}{letter.dbid}/delete/").status_code == 403
    admin_client.post(f"{URL}{letter.dbid}/change/", {"ref": "changed"})
    letter.refresh_from_db()
    assert letter.ref == "myref1"
