"""Staff in the admin are refused the activity types and tags the v2 family refuses (test_activity_types_settings.py,
test_tags_settings.py), as a field error, and nothing is saved."""

import pytest
from django.db import IntegrityError, transaction

from activities import services
from activities.models import ActivityType, Tag
from tests.admin_forms import field_errors

pytestmark = pytest.mark.django_db

KINDS = {
    "activity type": ("/admin/activities/activitytype/add/", ActivityType, "color", services.create_activity_type),
    "tag": ("/admin/activities/tag/add/", Tag, "colour", services.create_tag),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("name", "colour", "field", "words"),
    [
        ("call", "", "name", "named call already exists"),
        ("site visit", "red", None, "hex colour such as 876FD5"),
    ],
)
def test_a_type_or_tag_breaking_a_rule_is_a_field_error(staff, kind, name, colour, field, words):
    url, model, colour_field, create = KINDS[kind]
    create(is_test=False, name="Call")

    response = staff.post(url, {"name": name, colour_field: colour})

    errors = field_errors(response)[field or colour_field]
    assert any(words in error for error in errors), errors
    assert list(model.objects.values_list("name", flat=True)) == ["Call"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_name_in_the_other_mode_is_accepted(staff, kind):
    url, model, colour_field, create = KINDS[kind]
    create(is_test=True, name="Call")

    response = staff.post(url, {"name": "  call ", colour_field: "#0000FF"})

    assert response.status_code == 302
    assert model.objects.get(is_test=False).name == "call"


@pytest.mark.parametrize("kind", KINDS)
def test_the_database_refuses_a_name_that_differs_only_in_case(kind):
    url, model, colour_field, create = KINDS[kind]
    create(is_test=False, name="Call")

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(is_test=False, name="CALL")
    assert model.objects.count() == 1
