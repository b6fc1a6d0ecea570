"""GET /organisations/{id}/analytics: an organisation is a contact of type COMPANY."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_companys_analytics(world):
    acme = world.contact(company=True, code="ACME")
    world.communication(acme)
    world.communication(acme, media="EMAIL", direction="OUTGOING")

    by_id = world.v2.get(f"/backoffice/v2/organisations/{acme}/analytics", {"metrics": "COMMUNICATION_TOTALS"})
    by_code = world.v2.get("/backoffice/v2/organisations/ACME/analytics", {"metrics": "COMMUNICATION_TOTALS"})

    assert by_id.status_code == 200, by_id.content
    assert by_id.json() == by_code.json()
    assert by_id.json()["communication_totals"]["total"] == 2
    assert by_id.json()["communication_totals"]["messages_sent"] == 1
    assert world.v2.get(f"/backoffice/v2/contacts/{acme}/analytics").json()["is_active"] is True


def test_a_persons_id_is_not_an_organisation(world):
    person = world.contact()

    response = world.v2.get(f"/backoffice/v2/organisations/{person}/analytics")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "message": f"No organisation matches {person}.",
        "error": "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION",
        "parameters": ["organisation", person],
    }
