"""The demo data has recipients for the family's examples, in every form Altinn accepts."""

import pytest

from accounts import demo

pytestmark = pytest.mark.django_db


def test_the_demo_customers_can_be_initialized_to(altinn, initialize):
    demo.load()
    recipients = ["0192:910000004", "urn:altinn:person:identifier-no:01017000027"]

    response = initialize(altinn, recipients, notification={"notificationTemplate": "GenericAltinnMessage"})

    assert response.status_code == 200
    assert [c["notifications"][0]["status"] for c in response.json()["correspondences"]] == ["Success", "Success"]
