"""A postal letter's page and list read in words: transports as chips of their names, never JSON or codes."""

import pytest

from postal.models import Letter

pytestmark = pytest.mark.django_db


def test_the_transports_are_chips_of_their_names(staff, make_mailing, postal_account):
    make_mailing(postal_account, ["myref1"], transport=["SMS", "POST"], phone="+35799123456")
    letter = Letter.objects.get(ref="myref1")

    page = staff.get(f"/admin/postal/letter/{letter.dbid}/change/").content.decode()

    assert '<span class="bo-chip">SMS</span><span class="bo-chip">Post</span>' in page
    assert "[&quot;SMS&quot;" not in page and '["SMS"' not in page


def test_the_list_names_the_transport_tried_and_the_account_by_code(staff, make_mailing, postal_account):
    make_mailing(postal_account, ["myref1"], transport=["EMAIL", "POST"], email="kathy.clark@example.com")

    page = staff.get("/admin/postal/letter/").content.decode()

    assert '<td class="field-transport_tried">Email</td>' in page
    assert f'<span title="{postal_account.name}">{postal_account.code}</span>' in page
    assert ">EMAIL<" not in page
