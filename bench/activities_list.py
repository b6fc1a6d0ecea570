"""GET /backoffice/v2/activities/ with three filters and a page of 20, over 10,000 then 1,000,000 activities.

Runs a real gunicorn server on loopback against its own PostgreSQL database (never the development one),
bulk-loads activities with generate_series, and reports the median latency at each size, how it grows,
and two peers measured in the same run: fetching one activity, and the list with no filter at all.

    .venv/bin/python bench/activities_list.py [--database-url URL] [--requests 300] [--sizes 10000,1000000]

Target: median under 50 ms at 1,000,000 rows, and less than 2x growth from 10,000 rows.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/corr_activities_bench"
TARGET_MS = 50.0
TARGET_GROWTH = 2.0

CONTACTS = 10_000
TEAMS = 20
USERS_PER_TEAM = 3
TYPES = ["site visit", "call", "meeting", "email follow-up", "installation"]
TAGS = ["VIP", "Maintenance", "Urgent", "Renewal", "Complaint", "Upsell", "Onboarding", "Billing"]
NAMES = ["Call customer", "Site visit", "Product demo", "Quarterly review", "Boiler maintenance", "Contract renewal"]


def env_for(database_url: str, **extra) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("CELERY_BROKER_URL", None)
    env.update(extra)
    return env


def manage(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(database_url), check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def fresh_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage(database_url, "migrate", "--noinput", "-v0")


def load_settings(conn) -> None:
    """Contacts, teams with members, types, tags and a custom field: what activities point at."""
    conn.execute("SELECT setseed(0.42)")
    conn.execute(
        """
        INSERT INTO accounts_contact (id, is_test, code, contact_type, title, first_name, middle_name, last_name,
            company_name, email, phone, id_number, org_number, gender, preferred_language, created_on, updated_on)
        SELECT gen_random_uuid(), false, 'C' || g, 'PERSON', '', 'John', '', 'Smith' || g, '',
            'john' || g || '@example.com', '', '', '', '', '', now(), now()
        FROM generate_series(1, %s) g
        """,
        [CONTACTS],
    )
    conn.execute(
        """
        INSERT INTO accounts_address (id, contact_id, address_type, is_primary, address_line_1, address_line_2,
            state_province_county, town_city, postal_code, country_code, google_place_id)
        SELECT gen_random_uuid(), id, 'HOME', true, '2265 Oak Street', '', '', 'Nicosia', '2015', 'CYP', ''
        FROM accounts_contact
        """
    )
    for team in range(TEAMS):
        team_id = conn.execute(
            "INSERT INTO accounts_team (id, name) VALUES (gen_random_uuid(), %s) RETURNING id", [f"Team {team:02}"]
        ).fetchone()[0]
        for member in range(USERS_PER_TEAM):
            user_id = conn.execute(
                """
                INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                    is_active, date_joined)
                VALUES ('!', false, %s, 'Agent', %s, '', false, true, now()) RETURNING id
                """,
                [f"agent{team:02}{member}", f"{team:02}{member}"],
            ).fetchone()[0]
            conn.execute("INSERT INTO accounts_team_members (team_id, user_id) VALUES (%s, %s)", [team_id, user_id])
    for name, color in zip(TYPES, ["876FD5", "2E86C1", "28B463", "F1C40F", "E74C3C"], strict=True):
        conn.execute(
            "INSERT INTO activities_activitytype (id, is_test, name, color) VALUES (gen_random_uuid(), false, %s, %s)",
            [name, color],
        )
    for name in TAGS:
        conn.execute(
            "INSERT INTO activities_tag (id, is_test, name, colour) VALUES (gen_random_uuid(), false, %s, '#0000FF')",
            [name],
        )
    conn.execute(
        "INSERT INTO activities_customfielddefinition (key, label, description) VALUES ('back_office', '', '')"
    )


def load_activities(conn, first: int, last: int) -> None:
    """Activities first..last: 5 types, 20 teams, states 30/60/10 % pending/completed/cancelled over 3 years;
    a third carry a tag, a fifth a custom field value, and each its PENDING step in the state history."""
    conn.execute(
        """
        WITH pick AS (
            SELECT (SELECT array_agg(id ORDER BY id) FROM accounts_contact) AS contacts,
                   (SELECT array_agg(id ORDER BY name) FROM activities_activitytype) AS types,
                   (SELECT array_agg(id ORDER BY name) FROM accounts_team) AS teams,
                   (SELECT array_agg(id ORDER BY username) FROM auth_user WHERE username LIKE 'agent%%') AS agents,
                   (SELECT array_agg(id ORDER BY name) FROM activities_tag) AS tags,
                   (SELECT id FROM activities_customfielddefinition WHERE key = 'back_office') AS back_office,
                   %(names)s::text[] AS names
        ), drawn AS (
            SELECT g, random() + g * 0 AS state_draw, random() AS age, random() AS lead_time,
                   floor(random() * %(contacts)s::int)::int AS contact, floor(random() * 5)::int AS type,
                   floor(random() * %(teams)s::int)::int AS team, floor(random() * %(per_team)s::int)::int AS member,
                   random() AS reference_draw
            FROM generate_series(%(first)s::int, %(last)s::int) g
        ), shaped AS (
            SELECT d.*,
                   CASE WHEN state_draw < 0.3 THEN 'PENDING' WHEN state_draw < 0.9 THEN 'COMPLETED'
                        ELSE 'CANCELLED' END AS state,
                   now() - age * interval '1095 days' AS created,
                   now() - age * interval '1095 days' + lead_time * interval '30 days' AS scheduled
            FROM drawn d
        ), inserted AS (
            INSERT INTO activities_activity (id, is_test, name, description, type_id, state, scheduled_from,
                scheduled_to, completed_on, contact_id, address_id, reference_type, reference_id, reference_label,
                assigned_user_id, assigned_team_id, created_on, updated_on)
            SELECT gen_random_uuid(), false, p.names[1 + g %% array_length(p.names, 1)] || ' #' || g, NULL,
                   p.types[1 + s.type], s.state, s.scheduled, s.scheduled + interval '2 hours',
                   CASE WHEN s.state = 'COMPLETED' THEN s.scheduled + interval '2 hours' END,
                   p.contacts[1 + s.contact], NULL,
                   CASE WHEN reference_draw < 0.1 THEN 'LEAD' WHEN reference_draw < 0.2 THEN 'ORDER'
                        WHEN reference_draw < 0.3 THEN 'SERVICE_REQUEST' ELSE '' END,
                   CASE WHEN reference_draw < 0.3 THEN 'REF-' || g ELSE '' END, '',
                   p.agents[1 + s.team * %(per_team)s::int + s.member], p.teams[1 + s.team], s.created, s.scheduled
            FROM shaped s CROSS JOIN pick p
            RETURNING id, created_on
        ), tagged AS (
            INSERT INTO activities_activity_tags (activity_id, tag_id)
            SELECT i.id, p.tags[1 + floor(random() * array_length(p.tags, 1))::int]
            FROM inserted i CROSS JOIN pick p WHERE random() < 0.33
        ), valued AS (
            INSERT INTO activities_customfieldvalue (activity_id, definition_id, value)
            SELECT i.id, p.back_office, 'BO-' || floor(random() * 1000)::int
            FROM inserted i CROSS JOIN pick p WHERE random() < 0.2
        )
        INSERT INTO activities_activitystatechange (activity_id, state, date)
        SELECT id, 'PENDING', created_on FROM inserted
        """,
        {
            "names": NAMES,
            "contacts": CONTACTS,
            "teams": TEAMS,
            "per_team": USERS_PER_TEAM,
            "first": first,
            "last": last,
        },
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(database_url: str):
    """gunicorn with the project's config (which keeps the `api_key` header) on a free loopback port."""
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi",
        "-c",
        "config/gunicorn.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--access-logfile",
        "/dev/null",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env_for(database_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(request) -> tuple[float, dict]:
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return time.perf_counter() - started, json.loads(raw)


def measure(database_url: str, api_key: str, filters: dict, activity_id: str, requests: int) -> dict:
    query = "&".join(f"{key}={value}" for key, value in {**filters, "size": 20}.items())
    with server(database_url) as base:
        cases = {
            "filtered list": f"{base}/backoffice/v2/activities/?{query}",
            "get one (peer)": f"{base}/backoffice/v2/activities/{activity_id}",
            "unfiltered list (peer)": f"{base}/backoffice/v2/activities/?size=20",
        }
        requests_by_case = {
            name: urllib.request.Request(url, headers={"api_key": api_key}) for name, url in cases.items()
        }
        samples = {name: [] for name in cases}
        bodies = {}
        for round_number in range(30 + requests):
            # Round-robin, so drift on a shared machine touches every case alike; the first rounds only warm up.
            for name, request in requests_by_case.items():
                seconds, bodies[name] = get(request)
                if round_number >= 30:
                    samples[name].append(seconds)
    return {
        name: {
            "median_ms": statistics.median(samples[name]) * 1000,
            "p95_ms": sorted(samples[name])[int(len(samples[name]) * 0.95) - 1] * 1000,
            "total": bodies[name].get("paging", {}).get("total"),
        }
        for name in cases
    }


def explain(database_url: str, filters: dict) -> str:
    """The plans of the two queries behind the filtered page, as the server runs them, for the record."""
    script = (
        "from django.db import connection\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from activities import selectors\n"
        "from activities.api.backoffice.filters import ActivityFilterSet\n"
        f"listed = ActivityFilterSet({filters!r}, queryset=selectors.activities(False)).qs\n"
        "listed = listed.order_by('-created_on', '-pk')\n"
        "with CaptureQueriesContext(connection) as run:\n"
        "    listed.count(), list(listed[:20])\n"
        "with connection.cursor() as cursor:\n"
        "    for query in run.captured_queries:\n"
        "        cursor.execute('EXPLAIN (ANALYZE, BUFFERS) ' + query['sql'])\n"
        "        print('\\n'.join(row[0] for row in cursor.fetchall()), end='\\n\\n')\n"
    )
    return manage(database_url, "shell", "-c", script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per case and size.")
    parser.add_argument("--sizes", default="10000,1000000", help="Row counts to measure at, ascending.")
    parser.add_argument("--explain", action="store_true", help="Also print the query plans at each size.")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    url = options.database_url

    print(f"Preparing {url.rsplit('/', 1)[1]} ...", flush=True)
    fresh_database(url)
    with psycopg.connect(url, autocommit=True) as conn:
        load_settings(conn)
        team = conn.execute("SELECT id FROM accounts_team ORDER BY name LIMIT 1").fetchone()[0]
        activity_type = conn.execute("SELECT id FROM activities_activitytype WHERE name = 'site visit'").fetchone()[0]
    api_key = manage(url, "create_api_key", "bench", "--scopes", "backoffice.read")
    filters = {"states": "PENDING", "assign_to_team_id": str(team), "types": str(activity_type)}

    report, loaded = {}, 0
    for size in sizes:
        started = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            load_activities(conn, loaded + 1, size)
            conn.execute("VACUUM ANALYZE")
            activity_id = str(conn.execute("SELECT id FROM activities_activity LIMIT 1").fetchone()[0])
        loaded = size
        print(f"Loaded {size:,} activities in {time.perf_counter() - started:.0f} s; measuring ...", flush=True)
        report[size] = measure(url, api_key, filters, activity_id, options.requests)
        if options.explain:
            print(explain(url, filters))

    print()
    print(f"filters: states=PENDING, assign_to_team_id=<one of {TEAMS} teams>, types=<one of {len(TYPES)} types>;")
    print(f"page of 20, sorted by CREATED_DATE DESC; {options.requests} sequential requests per case")
    print()
    print(f"{'case':24} " + " ".join(f"{f'{size:,} rows':>26}" for size in sizes) + f" {'growth':>8}")
    for case in report[sizes[0]]:
        cells = []
        for size in sizes:
            row = report[size][case]
            total = f" (total {row['total']:,})" if row["total"] is not None else ""
            cells.append(f"{row['median_ms']:7.1f} ms{total:>16}")
        growth = report[sizes[-1]][case]["median_ms"] / report[sizes[0]][case]["median_ms"]
        print(f"{case:24} " + " ".join(f"{cell:>26}" for cell in cells) + f" {growth:7.2f}x")
    filtered_small = report[sizes[0]]["filtered list"]["median_ms"]
    filtered_large = report[sizes[-1]]["filtered list"]["median_ms"]
    growth = filtered_large / filtered_small
    peer = report[sizes[-1]]["get one (peer)"]["median_ms"]
    print()
    print(
        f"filtered list at {sizes[-1]:,}: median {filtered_large:.1f} ms (target < {TARGET_MS:.0f} ms: "
        f"{'met' if filtered_large < TARGET_MS else 'MISSED'}); growth {growth:.2f}x (target < {TARGET_GROWTH:.0f}x: "
        f"{'met' if growth < TARGET_GROWTH else 'MISSED'}); {filtered_large / peer:.2f}x a single-activity GET"
    )
    results = ROOT / "bench" / "results-activities_list.json"
    results.write_text(json.dumps({"filters": list(filters), "report": report}, indent=2))


if __name__ == "__main__":
    main()
