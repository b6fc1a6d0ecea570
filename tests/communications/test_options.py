"""OPTIONS on every method of the family answers in the envelope, never a 500."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

METHODS = [
    "communications/show",
    "communications/list",
    "communications/create",
    "communications/update",
    "communications/complete",
    "communications/set_as_viewed",
    "communications/queue/show",
    "communications/queue/list",
    "communications/queue/get_latest",
    "communications/queue/process",
    "communications/queue/reject",
    "communications/queue/remove",
    "communications/queue/get_pending_completed",
]


@pytest.mark.parametrize("method", METHODS)
def test_options_describes_the_method(api_key, method):
    response = APIClient().options(f"/crmapi/rest/v2/{method}?token={api_key}")

    assert response.status_code == 200
    assert response.json()["status"]["code"] == "OK"
