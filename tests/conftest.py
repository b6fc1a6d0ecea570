"""What every app's tests share: API keys, one client per API family, a real SMTP server, a broker that is down,
and a media folder of the test's own. The records tests make come from tests/factories.py.

Clients, one pattern per family (tests/clients.py says how each hands over its key):

| family | live key, every scope | test-mode key | any scopes, mode, postal accounts |
|---|---|---|---|
| back-office v2 `/backoffice/v2/` | `backoffice` | `backoffice_test_mode` | `backoffice_as(*scopes, ...)` |
| backend (letters) `/backend/api/v1/` | `backend` | `backend_test_mode` | `backend_as(*scopes, ...)` |
| CRM.COM `/crmapi/rest/v2/` | `crm` | `crm_test_mode` | `crm_as(*scopes, ...)` |
| Altinn initialize `/correspondence/api/v1/` | `altinn` | `altinn_test_mode` | `altinn_as(*scopes, ...)` |
| JSON-RPC `/publicinterface/jsonrpc` | `jsonrpc` | `jsonrpc_test_mode` | `jsonrpc_as(*scopes, ...)` |
"""

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from accounts import services
from accounts.actors import SYSTEM, reset_actor, set_actor
from accounts.scopes import ALL_SCOPES
from tests.brokers import celery_broker
from tests.clients import AltinnClient, BackendClient, BackofficeClient, CrmClient, JsonRpcClient
from tests.processes import free_port
from tests.smtp_sink import SmtpSink

pytest_plugins = ["tests.factories"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files the test stores (PDFs, attachments) go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def actor_of_the_test_alone():
    """Each test starts as the system; an actor a test sets without a request around it (a request factory) ends
    with the test."""
    token = set_actor(SYSTEM)
    yield
    reset_actor(token)


# API keys and clients -------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_failed_logins_of_earlier_tests():
    """Failed logins are counted per username and per address, and every test logs in from 127.0.0.1: each test
    starts with none counted. (In the database, without Redis, a test's transaction already takes them away.)"""
    if settings.RATE_LIMIT_REDIS_URL:
        client = redis.Redis.from_url(settings.RATE_LIMIT_REDIS_URL)
        stale = list(client.scan_iter(f"{settings.CACHES['login_attempts']['KEY_PREFIX']}:*"))
        if stale:
            client.delete(*stale)


@pytest.fixture
def make_api_key(db):
    def make(scopes=ALL_SCOPES, mode="live", postal_accounts=(), requests_per_minute=None):
        return services.create_api_key(
            "test key",
            list(scopes),
            mode=mode,
            postal_accounts=list(postal_accounts),
            requests_per_minute=requests_per_minute,
        )

    return make


@pytest.fixture
def api_key(make_api_key):
    return make_api_key()


@pytest.fixture
def test_api_key(make_api_key):
    return make_api_key(mode="test")


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def staff(client, staff_user):
    """Django's test client logged in to the admin as `staff_user`."""
    client.force_login(staff_user)
    return client


def family_clients(family: str, client_class, *, records=(), **key_defaults):
    """The family's three client fixtures: `<family>_as(*scopes, mode=, postal_accounts=)` (every scope when none is
    named), `<family>` (a live key) and `<family>_test_mode`; the last two also make the fixtures in `records`."""

    def clients_as(make_api_key):
        def make(*scopes, mode="live", **key_options):
            key = make_api_key(scopes=scopes or ALL_SCOPES, mode=mode, **{**key_defaults, **key_options})
            return client_class(key)

        return make

    def made(request, **options):
        for record in records:
            request.getfixturevalue(record)
        return request.getfixturevalue(f"{family}_as")(**options)

    def live(request):
        return made(request)

    def test_mode(request):
        return made(request, mode="test")

    clients_as.__doc__ = (
        f"A {client_class.__name__} with a new key: `(*scopes, mode=, postal_accounts=)`, every scope by default."
    )
    live.__doc__ = f"A {client_class.__name__} with a live key of every scope."
    test_mode.__doc__ = f"A {client_class.__name__} with a test-mode key of every scope."
    return (
        pytest.fixture(name=f"{family}_as")(clients_as),
        pytest.fixture(name=family)(live),
        pytest.fixture(name=f"{family}_test_mode")(test_mode),
    )


backoffice_as, backoffice, backoffice_test_mode = family_clients("backoffice", BackofficeClient)
backend_as, backend, backend_test_mode = family_clients("backend", BackendClient)
crm_as, crm, crm_test_mode = family_clients("crm", CrmClient)
altinn_as, altinn, altinn_test_mode = family_clients("altinn", AltinnClient)
# Keys of the letter-status service are bound to the postal account of seed 002's examples, which the clients make.
jsonrpc_as, jsonrpc, jsonrpc_test_mode = family_clients(
    "jsonrpc", JsonRpcClient, records=("postal_account",), postal_accounts=("ABC12345",)
)


# Mail and broker ------------------------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd, ephemeral port) that keeps what it receives; the default mailer
    of this process sends to it, and its `port` is there for the processes a test starts."""
    sink = SmtpSink().start()
    settings.MAILERS = {"default": sink.mailer()}
    yield sink
    sink.stop()


@pytest.fixture
def broker_down():
    """Celery hands tasks to a broker that does not answer, instead of running them in-process."""
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        yield
