"""Postal fixtures: postal accounts, keys bound to them, real PDFs, and a JSON-RPC caller."""

import json
import os

import pytest
from rest_framework.test import APIClient

from postal import services
from postal.demo import letter_pdf
from postal.models import MailingSource, PostalAccount
from postal.polling import _counter_for

ENDPOINT = "/publicinterface/jsonrpc"


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def poll_counters(settings):
    """The real Redis when REDIS_URL names one (make test-postgres). Counters are per API key, and every
    test makes its own keys, so tests never see each other's counts."""
    settings.POSTAL_POLL_REDIS_URL = os.environ.get("REDIS_URL", "")
    _counter_for.cache_clear()
    yield
    _counter_for.cache_clear()


@pytest.fixture
def postal_account(db):
    return PostalAccount.objects.create(code="ABC12345", name="Easymail customer")


@pytest.fixture
def other_account(db):
    return PostalAccount.objects.create(code="XYZ00001", name="Another customer")


@pytest.fixture
def pdf():
    return letter_pdf("myref1", ["Dear customer,", "Your statement is enclosed."])


@pytest.fixture
def upload(pdf):
    """Store a mailing through the service, as every way in does."""

    def make(account, refs, *, is_test=False, **letter):
        uploads = [services.LetterUpload(ref=ref, pdf=pdf, **letter) for ref in refs]
        return services.receive_mailing(account, uploads, is_test=is_test, source=MailingSource.API)

    return make


class JsonRpc:
    """Posts JSON-RPC bodies to the endpoint the way the seed's curl does."""

    def __init__(self, key: str | None):
        self.client = APIClient()
        if key:
            self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    def post(self, body, content_type="application/json"):
        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.generic("POST", ENDPOINT, raw, content_type=content_type)

    def call(self, method: str, params=None, *, id=1):
        body = {"jsonrpc": "2.0", "method": method, "id": id}
        if params is not None:
            body["params"] = params
        return self.post(body)


@pytest.fixture
def rpc_as(make_api_key):
    """A JSON-RPC caller with a key of the given scopes, bound to the given postal accounts."""

    def make(scopes=("postal.read", "postal.write"), accounts=("ABC12345",), mode="live"):
        return JsonRpc(make_api_key(scopes=scopes, postal_accounts=accounts, mode=mode))

    return make


@pytest.fixture
def rpc(rpc_as, postal_account):
    return rpc_as()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the default mailer sends to it."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    settings.MAILERS = {"default": sink.mailer()}
    yield sink
    sink.stop()


@pytest.fixture
def make_correspondence(db):
    """Correspondence created and rendered through the correspondence services, as the letters API does."""
    from django.test import TestCase

    from correspondence import services as correspondence_services
    from correspondence.models import CorrespondenceSection, CorrespondenceType

    kind = CorrespondenceType.objects.create(name="Statement")
    CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True)

    def make(customer, *, render=True):
        with TestCase.captureOnCommitCallbacks(execute=render):
            correspondence = correspondence_services.create_correspondence(
                customer, correspondence_type=kind, content={"body": "Your annual statement is enclosed."}
            )
        correspondence.refresh_from_db()
        return correspondence

    return make
