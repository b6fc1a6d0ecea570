"""DELETE /insights/{id}/: with or without the slash; a second time is not found."""

import pytest

from insights.models import Insight

pytestmark = pytest.mark.django_db


def make(client) -> str:
    return client.post("/backoffice/v2/insights", {"name": "Chart"}, format="json").json()["id"]


@pytest.mark.parametrize("slash", ["/", ""])
def test_delete_then_delete_again(backoffice, slash):
    insight = make(backoffice)

    first = backoffice.delete(f"/backoffice/v2/insights/{insight}{slash}")
    second = backoffice.delete(f"/backoffice/v2/insights/{insight}{slash}")

    assert (first.status_code, first.content) == (204, b"")
    assert second.status_code == 404
    assert second.json() == {
        "status": 404,
        "message": f"No insight matches {insight}.",
        "error": "CRM.EXCEPTIONS.NOTFOUNDEXCEPTION",
        "parameters": ["insight", insight],
    }
    assert not Insight.objects.exists()


def test_the_other_mode_cannot_delete_it(backoffice, backoffice_test_mode):
    insight = make(backoffice)
    assert backoffice_test_mode.delete(f"/backoffice/v2/insights/{insight}/").status_code == 404
    assert Insight.objects.filter(pk=insight).exists()


def test_deleting_needs_the_write_scope(backoffice, client_with):
    insight = make(backoffice)
    assert client_with("backoffice.read").delete(f"/backoffice/v2/insights/{insight}/").status_code == 403
    assert Insight.objects.filter(pk=insight).exists()
