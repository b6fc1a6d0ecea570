"""GET /backoffice/v2/activities/ with three filters and a page of 20, over 10,000 and 1,000,000 activities.

Each size gets its own PostgreSQL database (never the development one), bulk-loaded with generate_series,
and its own gunicorn server on loopback. The sizes are measured side by side, request by request in turn,
so whatever else the machine is doing weighs on both alike; the growth ratio compares like with like.
Two peers are measured in the same rounds: fetching one activity, and the list with no filter at all; and the
framework floor's retrieve (bench/framework_floor.py) on a server of the same settings, one worker.

Then the filtered list at the largest size under wrk (16 connections, 4 sync workers), in alternating rounds with
the framework floor's retrieve on a server of the same settings.

    .venv/bin/python bench/activities_list.py [--database-url URL] [--requests 300] [--sizes 10000,1000000]
                                              [--reuse] [--explain] [--seconds 15] [--connections 16] [--workers 4]

Targets: median under 50 ms at 1,000,000 rows, less than 2x growth from 10,000 rows, and under wrk at least
half the framework floor's retrieve rate.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
import harness

ROOT = harness.ROOT
PYTHON = harness.PYTHON
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/corr_activities_bench"  # + _<size>
TARGET_MS = 50.0
TARGET_GROWTH = 2.0
TARGET_FLOOR = 0.5  # under wrk, at least half the framework floor's retrieve rate

CONTACTS = 10_000
TEAMS = 20
USERS_PER_TEAM = 3
TYPES = ["site visit", "call", "meeting", "email follow-up", "installation"]
TAGS = ["VIP", "Maintenance", "Urgent", "Renewal", "Complaint", "Upsell", "Onboarding", "Billing"]
NAMES = ["Call customer", "Site visit", "Product demo", "Quarterly review", "Boiler maintenance", "Contract renewal"]


def env_for(database_url: str, **extra) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("CELERY_BROKER_URL", None)
    env.setdefault("SECRET_KEY", harness.RUN_SECRET_KEY)  # run alone, outside `make bench`
    env.update(extra)
    return env


def manage(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(database_url), check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def prepare(database_url: str, size: int, reuse: bool) -> None:
    """A database holding `size` activities: loaded afresh, or kept when --reuse finds it already so."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(harness.admin_url(database_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if reuse and exists:
        with psycopg.connect(database_url) as conn:
            loaded = conn.execute("SELECT count(*) FROM activities_activity").fetchone()[0]
        if loaded == size:
            # Up to the code's migrations (an index added since it was loaded), then statistics for the planner.
            manage(database_url, "migrate", "--noinput", "-v0")
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE activities_activity")
            print(f"Reusing {name} ({size:,} activities)", flush=True)
            return
    with psycopg.connect(harness.admin_url(database_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage(database_url, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        load_settings(conn)
        # In slices, so memory stays flat however large the size.
        for first in range(1, size + 1, 250_000):
            load_activities(conn, first, min(size, first + 249_999))
        conn.execute("VACUUM ANALYZE")
    print(f"Loaded {size:,} activities into {name} in {time.perf_counter() - started:.0f} s", flush=True)
    harness.checkpoint(database_url)


def load_settings(conn) -> None:
    """Contacts with their leads, service requests and orders, teams with members, types, tags and a custom
    field: what activities point at."""
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
            conn.execute(
                "INSERT INTO accounts_useridentifier (user_id, guid) VALUES (%s, gen_random_uuid())", [user_id]
            )
    # A lead, a service request and an order of every contact, which a tenth of the activities each link to.
    for table, prefix, columns, values in (
        ("accounts_lead", "LD", "title, description", "'Lead of ' || code, ''"),
        ("accounts_servicerequest", "SRV", "description, address_id", "'', NULL"),
        ("accounts_order", "O", "description, address_id, account_id", "'', NULL, NULL"),
    ):
        state = "NEW" if table == "accounts_order" else "PENDING"
        conn.execute(
            f"""
            INSERT INTO {table} (id, is_test, number, created_on, updated_on, contact_id, state, {columns})
            SELECT gen_random_uuid(), false, '{prefix}' || lpad((row_number() OVER (ORDER BY id))::text, 6, '0'),
                   now(), now(), id, '{state}', {values}
            FROM accounts_contact
            """
        )
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
                   (SELECT array_agg(id ORDER BY contact_id) FROM accounts_lead) AS leads,
                   (SELECT array_agg(id ORDER BY contact_id) FROM accounts_order) AS orders,
                   (SELECT array_agg(id ORDER BY contact_id) FROM accounts_servicerequest) AS service_requests,
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
                scheduled_to, completed_on, contact_id, address_id, lead_id, order_id, service_request_id,
                assigned_user_id, assigned_team_id, created_on, updated_on)
            SELECT gen_random_uuid(), false, p.names[1 + g %% array_length(p.names, 1)] || ' #' || g, NULL,
                   p.types[1 + s.type], s.state, s.scheduled, s.scheduled + interval '2 hours',
                   CASE WHEN s.state = 'COMPLETED' THEN s.scheduled + interval '2 hours' END,
                   p.contacts[1 + s.contact], NULL,
                   CASE WHEN reference_draw < 0.1 THEN p.leads[1 + s.contact] END,
                   CASE WHEN reference_draw >= 0.1 AND reference_draw < 0.2 THEN p.orders[1 + s.contact] END,
                   CASE WHEN reference_draw >= 0.2 AND reference_draw < 0.3 THEN p.service_requests[1 + s.contact] END,
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
        INSERT INTO activities_activitystatechange (activity_id, state, date, actor_path, actor_name, note)
        SELECT id, 'PENDING', created_on, 'system', '', '' FROM inserted
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


def get(request) -> tuple[float, dict]:
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return time.perf_counter() - started, json.loads(raw)


def measure(calls: dict[tuple, urllib.request.Request], requests: int) -> dict[tuple, dict]:
    """Median and p95 per call; every round asks each call once, in turn."""
    samples = {key: [] for key in calls}
    bodies = {}
    for round_number in range(30 + requests):
        for key, request in calls.items():
            seconds, bodies[key] = get(request)
            if round_number >= 30:  # the first rounds only warm the workers, connections and caches
                samples[key].append(seconds)
    return {
        key: {
            "median_ms": statistics.median(timings) * 1000,
            "p95_ms": sorted(timings)[int(len(timings) * 0.95) - 1] * 1000,
            "total": bodies[key].get("paging", {}).get("total"),
        }
        for key, timings in samples.items()
    }


def throughput(target: dict, size: int, seconds: float, connections: int, workers: int, rounds: int = 3) -> harness.Row:
    """The filtered list under wrk beside the framework floor's retrieve, servers of the same settings, in
    alternating rounds."""
    query = "&".join(f"{key}={value}" for key, value in {**target["filters"], "size": 20}.items())
    scenario = f'wrk.headers["api_key"] = {json.dumps(target["api_key"])}\n'
    note_ids = framework_floor.prepare()
    server = {"workers": workers, "DATABASE_URL": target["url"]}
    with harness.gunicorn(**server) as url, framework_floor.server(workers=workers) as floor_url:
        loads = harness.alternate(
            {
                "filtered list": (f"{url}/backoffice/v2/activities/?{query}", scenario),
                "floor": framework_floor.target(floor_url, framework_floor.RETRIEVE, note_ids[0]),
            },
            rounds=rounds,
            seconds=seconds / rounds,
            connections=connections,
        )
    ours, floor = loads["filtered list"], loads["floor"]
    share = framework_floor.paired(ours, floor)
    print(
        f"under wrk, {connections} connections, {workers} sync workers, {rounds} alternating rounds: filtered list"
        f" {', '.join(f'{load.rps:.0f}' for load in ours)} req/s, the floor's retrieve"
        f" {', '.join(f'{load.rps:.0f}' for load in floor)} req/s"
    )
    return harness.Row(
        f"activities list over HTTP, 3 filters, page of 20, {size:,} rows, {connections} connections",
        harness.median_load(ours),
        f">= {TARGET_FLOOR}x the floor's retrieve",
        "",
        "",
        harness.verdict(share >= TARGET_FLOOR),
        floor=framework_floor.versus_rounds(ours, floor, framework_floor.RETRIEVE),
    )


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


def run(
    database_url: str = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
    requests: int = 300,
    sizes: tuple[int, ...] = (10_000, 1_000_000),
    reuse: bool = True,
    show_plans: bool = False,
    seconds: float = 15,
    connections: int = 16,
    workers: int = 4,
) -> list[harness.Row]:
    """Each size loaded (or reused) and served, measured in turn; prints the detail, returns the table rows."""
    targets = {}
    for size in sizes:
        url = f"{database_url}_{size}"
        prepare(url, size, reuse)
        with psycopg.connect(url) as conn:
            team = conn.execute("SELECT id FROM accounts_team ORDER BY name LIMIT 1").fetchone()[0]
            visit = conn.execute("SELECT id FROM activities_activitytype WHERE name = 'site visit'").fetchone()[0]
            activity_id = conn.execute("SELECT id FROM activities_activity ORDER BY id LIMIT 1").fetchone()[0]
        filters = {"states": "PENDING", "assign_to_team_id": str(team), "types": str(visit)}
        targets[size] = {"url": url, "filters": filters, "activity_id": str(activity_id)}
        if show_plans:
            print(f"Plans at {size:,} rows (count, then page):\n{explain(url, filters)}")

    floor_ids = framework_floor.prepare()
    with ExitStack() as servers:
        calls = {}
        for size, target in targets.items():
            # One worker: the requests come one at a time.
            base = servers.enter_context(harness.gunicorn(workers=1, DATABASE_URL=target["url"]))
            target["api_key"] = manage(target["url"], "create_api_key", "bench", "--scopes", "backoffice.read")
            query = "&".join(f"{key}={value}" for key, value in {**target["filters"], "size": 20}.items())
            cases = {
                "filtered list": f"{base}/backoffice/v2/activities/?{query}",
                "get one (peer)": f"{base}/backoffice/v2/activities/{target['activity_id']}",
                "unfiltered list (peer)": f"{base}/backoffice/v2/activities/?size=20",
            }
            for case, url in cases.items():
                calls[(size, case)] = urllib.request.Request(url, headers={"api_key": target["api_key"]})
        floor = servers.enter_context(framework_floor.server(workers=1))
        calls[("floor", "retrieve")] = urllib.request.Request(floor + framework_floor.retrieve_path(floor_ids[0]))
        print(f"Measuring {requests} rounds ...", flush=True)
        timings = measure(calls, requests)
    report = {size: {case: timings[(size, case)] for (named, case) in calls if named == size} for size in sizes}
    floor_ms = timings[("floor", "retrieve")]["median_ms"]

    small, large = sizes[0], sizes[-1]
    print()
    print(f"filters: states=PENDING, assign_to_team_id=<one of {TEAMS} teams>, types=<one of {len(TYPES)} types>;")
    print(f"a page of 20 sorted by CREATED_DATE DESC; {requests} rounds, the sizes asked in turn")
    print()
    print(f"{'median (p95)':24} " + " ".join(f"{f'{size:,} rows':>30}" for size in sizes) + f" {'growth':>8}")
    for case in report[small]:
        cells = []
        for size in sizes:
            row = report[size][case]
            total = f" total {row['total']:,}" if row["total"] is not None else ""
            cells.append(f"{row['median_ms']:5.1f} ({row['p95_ms']:5.1f}) ms{total}")
        growth = report[large][case]["median_ms"] / report[small][case]["median_ms"]
        print(f"{case:24} " + " ".join(f"{cell:>30}" for cell in cells) + f" {growth:7.2f}x")
    filtered = report[large]["filtered list"]["median_ms"]
    growth = filtered / report[small]["filtered list"]["median_ms"]
    peer = report[large]["get one (peer)"]["median_ms"]
    print()
    print(
        f"filtered list at {large:,} rows: median {filtered:.1f} ms (target < {TARGET_MS:.0f} ms: "
        f"{'met' if filtered < TARGET_MS else 'MISSED'}); growth from {small:,} {growth:.2f}x "
        f"(target < {TARGET_GROWTH:.0f}x: {'met' if growth < TARGET_GROWTH else 'MISSED'}); "
        f"{filtered / peer:.2f}x a single-activity GET at the same size; the framework floor's retrieve, in the same"
        f" rounds: median {floor_ms:.1f} ms"
    )
    wrk_row = throughput(targets[large], large, seconds, connections, workers)
    results = ROOT / "bench" / "results-activities_list.json"
    results.write_text(json.dumps({"sizes": list(sizes), "report": report, "floor_retrieve_ms": floor_ms}, indent=2))
    return [
        harness.Row(
            f"activities list, 3 filters, page of 20, {large:,} rows",
            f"median {filtered:.1f} ms (p95 {report[large]['filtered list']['p95_ms']:.1f} ms)",
            f"< {TARGET_MS:.0f} ms",
            f"GET one activity {peer:.1f} ms",
            f"{filtered / peer:.2f}x",
            harness.verdict(filtered < TARGET_MS),
            floor=framework_floor.versus_time(filtered, floor_ms, framework_floor.RETRIEVE),
        ),
        harness.Row(
            f"activities list growth, {small:,} -> {large:,} rows",
            f"{report[small]['filtered list']['median_ms']:.1f} -> {filtered:.1f} ms",
            f"< {TARGET_GROWTH:.0f}x",
            "",
            f"{growth:.2f}x",
            harness.verdict(growth < TARGET_GROWTH),
        ),
        wrk_row,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="Base URL; each size gets a database named after it (…_10000, …_1000000).",
    )
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per case and size.")
    parser.add_argument("--sizes", default="10000,1000000", help="Row counts to compare, smallest first.")
    parser.add_argument("--reuse", action="store_true", help="Keep a database that already holds its size.")
    parser.add_argument("--explain", action="store_true", help="Also print the query plans at each size.")
    parser.add_argument("--seconds", type=float, default=15, help="Seconds under wrk, over all rounds (15).")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers under wrk (4).")
    options = parser.parse_args()
    sizes = tuple(int(size) for size in options.sizes.split(","))
    rows = run(
        options.database_url,
        options.requests,
        sizes,
        options.reuse,
        options.explain,
        options.seconds,
        options.connections,
        options.workers,
    )
    harness.print_table(rows)


if __name__ == "__main__":
    main()
