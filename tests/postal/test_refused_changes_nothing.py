"""Every JSON-RPC write validates everything before its first write: a refused call, however late in its params the
fault, leaves every table of the project as it was (counted row by row) and emails nothing."""

import base64

import pytest
from django.core import mail

from postal.models import Letter, LetterStatus
from tests.fuzzing import rows_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(postal_account, make_mailing, pdf):
    make_mailing(postal_account, ["held", "lodged"])
    Letter.objects.filter(ref="lodged").update(status=LetterStatus.LODGED)
    return {"pdf": base64.b64encode(pdf).decode()}


def good(world, ref):
    return {"ref": ref, "pdf": world["pdf"], "transport": "EMAIL", "email": "jo@example.com"}


REFUSED = {
    "a mailing whose last letter is no PDF": lambda w: (
        "upload_mailing",
        {"account": "ABC12345", "letters": [good(w, "new-1"), {"ref": "new-2", "pdf": "bm90IGEgcGRm"}]},
    ),
    "a mailing whose last ref is already used": lambda w: (
        "upload_mailing",
        {"account": "ABC12345", "letters": [good(w, "new-1"), good(w, "held")]},
    ),
    "a mailing naming one ref twice": lambda w: (
        "upload_mailing",
        {"account": "ABC12345", "letters": [good(w, "new-1"), good(w, "new-1")]},
    ),
    "a mailing whose last letter's ref breaks a line": lambda w: (
        "upload_mailing",
        {"account": "ABC12345", "letters": [good(w, "new-1"), good(w, "new\n2")]},
    ),
    "a mailing whose last letter names an unknown correspondence": lambda w: (
        "upload_mailing",
        {
            "account": "ABC12345",
            "letters": [
                good(w, "new-1"),
                {"ref": "new-2", "correspondence_id": "00000000-0000-0000-0000-000000000000"},
            ],
        },
    ),
    "a mailing with an unknown member in its last letter": lambda w: (
        "upload_mailing",
        {"account": "ABC12345", "letters": [good(w, "new-1"), {**good(w, "new-2"), "colour": "blue"}]},
    ),
    "a mailing to an account that is not the caller's": lambda w: (
        "upload_mailing",
        {"account": "XYZ00001", "letters": [good(w, "new-1")]},
    ),
    "cancelling a lodged letter": lambda w: ("cancel_letter", {"account": "ABC12345", "ref": "lodged"}),
    "cancelling an unknown letter": lambda w: ("cancel_letter", {"account": "ABC12345", "ref": "nope"}),
    "cancelling with a lone surrogate": lambda w: ("cancel_letter", {"account": "ABC12345", "ref": "held\ud800"}),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_call_changes_no_row_and_emails_nothing(jsonrpc, world, case):
    method, params = REFUSED[case](world)
    before = rows_everywhere()

    response = jsonrpc.call(method, params)

    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["code"] < 0
    assert rows_everywhere() == before
    assert mail.outbox == []
