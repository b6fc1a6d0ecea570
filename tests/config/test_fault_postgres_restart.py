"""PostgreSQL restarted and stopped under a running gunicorn: a restart goes unnoticed, an outage is a clear 503
in each family's own error body (and a plain 503 page for staff), and everything answers again once the
database is back — without restarting gunicorn.

Real parts: a private PostgreSQL cluster (initdb, pg_ctl) migrated like a deployment, and gunicorn on it.
"""

import json
import re

import pytest

from tests.processes import Gunicorn, HttpClient, PostgresCluster, manage, project_env

pytestmark = pytest.mark.faults

UNAVAILABLE = "The service is temporarily unavailable; try again shortly."
STAFF_PASSWORD = "a staff password for the fault test"
ROUNDS = 4  # enough requests that every gunicorn worker's persistent connection is used


@pytest.fixture
def cluster():
    cluster = PostgresCluster().init()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture
def deployment(cluster, processes, tmp_path):
    """gunicorn on the cluster, migrated and with an API key and a staff user made by the ops commands."""
    env = project_env(
        DATABASE_URL=cluster.create_database("correspondence"),
        CELERY_BROKER_URL=None,
        REDIS_URL=None,
        DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
    )
    web = Gunicorn(env, tmp_path)  # boots while the database is migrated: it touches none before a request
    processes.append(web)
    manage("migrate", "--noinput", "-v", "0", env=env)
    key = manage("create_api_key", "fault test", "--scopes", "all", "--postal-account", "ABC12345", env=env).strip()
    manage("createsuperuser", "--noinput", "--username", "staff", "--email", "staff@example.com", env=env)
    web.wait_ready()
    return web, key


def calls(key: str) -> dict:
    """One request per API family, each of which needs the database; name → function of a client."""
    bearer = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    rpc = {"jsonrpc": "2.0", "method": "recent_uploads", "params": {"account": "ABC12345"}, "id": 7}
    attachment = {"fileName": "report.pdf", "sendersReference": "ref-fault"}
    return {
        "backoffice": lambda c: c.request("GET", "/backoffice/v2/contacts", headers={"api_key": key}),
        "crm": lambda c: c.request("GET", f"/crmapi/rest/v2/communications/queue/list?token={key}&media=EMAIL"),
        "letters": lambda c: c.request("GET", "/backend/api/v1/correspondence/", headers=bearer),
        "altinn": lambda c: c.request(
            "POST", "/correspondence/api/v1/attachment", json.dumps(attachment).encode(), bearer
        ),
        "jsonrpc": lambda c: c.request("POST", "/publicinterface/jsonrpc", json.dumps(rpc).encode(), bearer),
    }


SUCCEEDED = {
    "backoffice": lambda body: body["paging"]["page"] == 1 and isinstance(body["content"], list),
    "crm": lambda body: body["status"]["code"] == "OK" and isinstance(body["data"], list),
    "letters": lambda body: isinstance(body, list),
    "altinn": lambda body: isinstance(body, str) and len(body) == 36,  # the new attachment's id
    "jsonrpc": lambda body: body == {"jsonrpc": "2.0", "result": [], "id": 7},
}

# Each family's own error body for "the database does not answer", word for word.
OUTAGE_BODIES = {
    "backoffice": {
        "status": 503,
        "message": UNAVAILABLE,
        "error": "CRM.EXCEPTIONS.SERVICEUNAVAILABLEEXCEPTION",
        "parameters": [],
    },
    "crm": {"status": {"code": "SERVICE_UNAVAILABLE", "message": UNAVAILABLE, "description": ""}, "data": None},
    "letters": {"error": "Service Unavailable", "error_code": 503001, "hint": UNAVAILABLE},
    "altinn": {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        "title": "Service Unavailable",
        "status": 503,
        "detail": UNAVAILABLE,
        "instance": "/correspondence/api/v1/attachment",
    },
    "jsonrpc": {"jsonrpc": "2.0", "error": {"code": -32050, "message": UNAVAILABLE}, "id": 7},
}
CONTENT_TYPES = {"altinn": "application/problem+json"}


def log_in(staff: HttpClient) -> None:
    staff.request("GET", "/admin/login/")
    form = f"csrfmiddlewaretoken={staff.cookie('csrftoken')}&username=staff&password={STAFF_PASSWORD}&next=/admin/"
    answer = staff.request(
        "POST", "/admin/login/", form.replace(" ", "+").encode(), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer.status == 200 and staff.cookie("sessionid"), answer.text[:500]


def everything_answers(client: HttpClient, staff: HttpClient, key: str) -> None:
    for name, call in calls(key).items():
        answer = call(client)
        assert answer.status == 200, f"{name}: {answer.status} {answer.text[:500]}"
        assert SUCCEEDED[name](json.loads(answer.body)), f"{name}: {answer.text[:500]}"
    dashboard = staff.request("GET", "/admin/")
    assert dashboard.status == 200 and "Log out" in dashboard.text, dashboard.text[:500]
    health = client.request("GET", "/healthz")
    assert (health.status, json.loads(health.body)["status"]) == (200, "ok")


def leaks(cluster: PostgresCluster) -> re.Pattern:
    """What an answer must never show while the database is down: a stack trace or the driver's words."""
    return re.compile(
        rf"Traceback|File \"/|site-packages|psycopg|django\.db|OperationalError|connection to server|"
        rf"127\.0\.0\.1|\b{cluster.port}\b",
        re.IGNORECASE,
    )


def test_a_restart_goes_unnoticed_and_an_outage_is_a_clear_503_in_every_family(cluster, deployment):
    web, key = deployment
    client, staff = HttpClient(web.url), HttpClient(web.url)
    log_in(staff)
    for _ in range(ROUNDS):
        everything_answers(client, staff, key)

    # A restart between two requests: every worker's open connection is dead, and each finds a new one.
    cluster.stop()
    cluster.start()
    for _ in range(ROUNDS):
        everything_answers(client, staff, key)

    cluster.stop()
    leak = leaks(cluster)
    for _ in range(ROUNDS):
        for name, call in calls(key).items():
            answer = call(client)
            assert answer.status == 503, f"{name}: {answer.status} {answer.text[:500]}"
            assert json.loads(answer.body) == OUTAGE_BODIES[name], name
            assert answer.headers["Content-Type"].startswith(CONTENT_TYPES.get(name, "application/json")), name
            assert answer.headers["Retry-After"] == "10", name
            assert not leak.search(answer.text), f"{name}: {answer.text}"

        page = staff.request("GET", "/admin/")
        assert (page.status, page.headers["Content-Type"]) == (503, "text/html; charset=utf-8"), page.text[:500]
        assert "<h1>Service unavailable</h1>" in page.text and page.headers["Retry-After"] == "10"
        assert not leak.search(page.text), page.text

        health = client.request("GET", "/healthz")
        assert health.status == 503
        assert json.loads(health.body)["status"] == "unavailable"
        assert json.loads(health.body)["database"] == {
            "vendor": "postgresql",
            "reachable": False,
            "error": "The database does not answer.",
        }
        assert not leak.search(health.text), health.text

    cluster.start()
    for _ in range(ROUNDS):
        everything_answers(client, staff, key)
    # The same gunicorn and the same two workers served it all: nothing was restarted to recover.
    assert web.running()
    assert web.log(tail=1_000_000).count("Booting worker") == 2
