"""Staff put a user in an owning group on the group's page; what that user then creates through CRM.COM without
naming a group belongs to it."""

import pytest

from accounts.models import Group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1440, "height": 900}


def test_add_a_member_to_the_main_group(page, live_server, staff_login, screenshot, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "s3cret-pass")
    group = Group.objects.create(name="Main Group", code="MAIN")

    staff_login()
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}/admin/accounts/group/{group.pk}/change/")
    page.select_option("#id_members_from", label="clerk")
    page.click("#id_members_add")
    screenshot("members")
    page.click("input[name=_save]")
    page.locator("ul.messagelist li.success").wait_for()

    assert list(group.members.all()) == [clerk]
