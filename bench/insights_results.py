"""An insight's results over 1,000,000 events, through a real server, against the same aggregate written as one
raw SQL statement in the same run.

    .venv/bin/python bench/insights_results.py                # load once (kept between runs), then measure
    .venv/bin/python bench/insights_results.py --requests 60  # more timed requests

The events are communications (COMMUNICATION_CREATED) over two years in their own PostgreSQL database
(BENCH_INSIGHTS_DATABASE_URL, default corr_insights_bench), loaded with one INSERT … SELECT over generate_series.
The insight: one event (COUNT) with one filter (COMMUNICATION_MEDIA EQUALS EMAIL, one event in five) and one
breakdown (COMMUNICATION_CATEGORY over 20 categories, the busiest 10 kept and the rest summed as OTHER), over the
last 90 days by day. gunicorn serves on loopback; the API and the raw statement are timed in turns, and their
numbers are checked to be the same. Targets: median under 150 ms, and at most 2x the raw statement. The framework
floor's retrieve (bench/framework_floor.py, a server of the same settings) is timed in the same turns.
"""

import argparse
import http.client
import json
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
from harness import ROOT, Row, checkpoint, ensure_database, gunicorn, median_ms, percentile_ms, setup_django, verdict

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/corr_insights_bench"
EVENTS = 1_000_000
CONTACTS = 20_000
CATEGORIES = 20
DAYS = 730
WINDOW_DAYS = 90
TARGET_MEDIAN_MS = 150
TARGET_RATIO = 2.0

# Media: EMAIL one event in five, the rest SMS, PHONE, LETTER and FACE_TO_FACE. Category k (0-19) is k+1 times as
# common as the first, so the top ten and OTHER both matter. Times spread evenly over the two years before the anchor.
LOAD_SQL = """
INSERT INTO accounts_contact (id, is_test, code, contact_type, title, first_name, middle_name, last_name, company_name,
    email, phone, id_number, org_number, gender, preferred_language, created_on, updated_on)
SELECT gen_random_uuid(), false, 'B' || n, 'PERSON', '', 'Bench', '', 'Customer ' || n, '', '', '', '', '', '', '',
       %(anchor)s::timestamptz - interval '800 days', %(anchor)s::timestamptz - interval '800 days'
FROM generate_series(1, %(contacts)s) AS n;

INSERT INTO communications_category (id, name, code, description)
SELECT gen_random_uuid(), 'Bench category ' || k, 'bench-' || k, '' FROM generate_series(0, %(categories)s - 1) AS k;

CREATE TEMP TABLE numbered_contact AS SELECT id, row_number() OVER (ORDER BY code) AS position FROM accounts_contact;
CREATE TEMP TABLE numbered_category AS
SELECT id, (regexp_replace(code, '\\D', '', 'g'))::int AS position
FROM communications_category WHERE code LIKE 'bench-%%';

INSERT INTO communications_communication (id, is_test, number, code, direction, media, from_address, to_address,
    subject, content, state, completed_on, referring_to, sending_status, sending_error, created_on, updated_on,
    contact_id, category_id)
SELECT gen_random_uuid(), false, 'CMB' || n, 'B' || n,
       CASE WHEN n %% 3 = 0 THEN 'INCOMING' ELSE 'OUTGOING' END,
       (ARRAY['EMAIL', 'SMS', 'EMAIL', 'PHONE', 'LETTER', 'FACE_TO_FACE', 'PHONE', 'SMS', 'PHONE', 'LETTER'])
           [n %% 10 + 1],
       '', '', 'Bench', '', 'COMPLETED', t.at, '{}'::jsonb, '', '', t.at, t.at, c.id, k.id
FROM generate_series(1, %(events)s) AS n
CROSS JOIN LATERAL (
    SELECT %(anchor)s::timestamptz - make_interval(secs => (n::bigint * 63113) %% (%(days)s * 86400)) AS at
) t
JOIN numbered_contact c ON c.position = (n::bigint * 7919) %% %(contacts)s + 1
JOIN numbered_category k ON k.position = floor((sqrt(8 * ((n::bigint * 104729) %% 210) + 1) - 1) / 2);

ANALYZE accounts_contact, communications_category, communications_communication;
"""

# The same answer, written by hand as one statement: the busiest ten categories of the matching events, then the
# events per day and category, the other categories as OTHER.
RAW_SQL = """
WITH matching AS (
    SELECT created_on, category_id FROM communications_communication
    WHERE NOT is_test AND created_on >= %(start)s AND created_on < %(end)s AND media = 'EMAIL'
), top AS (
    SELECT category_id FROM matching GROUP BY category_id ORDER BY count(*) DESC, category_id LIMIT %(limit)s
)
SELECT date_trunc('day', created_on AT TIME ZONE 'UTC') AS day,
       CASE WHEN category_id IN (SELECT category_id FROM top) THEN category_id::text ELSE 'OTHER' END AS category,
       count(*)
FROM matching GROUP BY 1, 2
"""


def load(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url) as conn:
        have = conn.execute("SELECT count(*) FROM communications_communication").fetchone()[0]
        if have == EVENTS:
            print(f"{have:,} communications already loaded")
            return
        print(f"loading {EVENTS:,} communications …", flush=True)
        started = time.perf_counter()
        conn.execute("TRUNCATE communications_communication, communications_category, accounts_contact CASCADE")
        params = {
            "anchor": "2026-06-30 23:59:59+00",
            "contacts": CONTACTS,
            "categories": CATEGORIES,
            "events": EVENTS,
            "days": DAYS,
        }
        for statement in filter(str.strip, LOAD_SQL.split(";\n")):
            conn.execute(statement, params if "%(" in statement else None)
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
    checkpoint(database_url)


def window(database_url: str) -> tuple[int, int]:
    """The 90 whole days up to the newest event."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        newest = conn.execute("SELECT max(created_on) FROM communications_communication").fetchone()[0]
    end = newest.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return int((end - timedelta(days=WINDOW_DAYS)).timestamp()), int(end.timestamp())


def insight_and_key() -> tuple[str, str]:
    from accounts.services import create_api_key
    from insights.services import create_insight

    insight = create_insight(
        is_test=False,
        name="Email per category",
        events=[{"event": "COMMUNICATION_CREATED", "measurement": "COUNT"}],
        filters=[{"property": "COMMUNICATION_MEDIA", "operator": "EQUALS", "values": ["EMAIL"]}],
        breakdowns=[{"dimension": "COMMUNICATION_CATEGORY"}],
        limit=10,
    )
    return str(insight.id), create_api_key("insights bench", ["backoffice.read"])


class ApiCaller:
    """One keep-alive connection to the server, as an integrator's dashboard would hold."""

    def __init__(self, url: str, key: str, insight: str, start: int, end: int):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        query = urlencode({"date_from": start, "date_to": end, "interval": "DAY"})
        self.path = f"/backoffice/v2/insights/{insight}/results?{query}"
        self.headers = {"api-key": key}
        self.answer = None

    def __call__(self) -> float:
        started = time.perf_counter()
        self.connection.request("GET", self.path, headers=self.headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"unexpected answer {response.status}: {payload[:300]!r}")
        self.answer = json.loads(payload)
        return elapsed


class RawQuery:
    def __init__(self, database_url: str, start: int, end: int):
        import psycopg

        self.conn = psycopg.connect(database_url, autocommit=True)
        self.params = {"start": _moment(start), "end": _moment(end), "limit": 10}
        self.rows = []

    def __call__(self) -> float:
        started = time.perf_counter()
        self.rows = self.conn.execute(RAW_SQL, self.params).fetchall()
        return time.perf_counter() - started


def _moment(epoch: int):
    from datetime import datetime

    return datetime.fromtimestamp(epoch, tz=UTC)


def same_numbers(answer: dict, rows: list) -> bool:
    """The API's totals per category (and OTHER) equal the raw statement's."""
    api = {item["breakdown"]["COMMUNICATION_CATEGORY"]: item["total"] for item in answer["content"]}
    raw: dict[str, int] = {}
    for _, category, count in rows:
        raw[category] = raw.get(category, 0) + count
    return api == raw and len(answer["content"][0]["data"]) == WINDOW_DAYS


def plan(database_url: str, start: int, end: int) -> str:
    import psycopg

    with psycopg.connect(database_url) as conn:
        lines = conn.execute(
            "EXPLAIN " + RAW_SQL, {"start": _moment(start), "end": _moment(end), "limit": 10}
        ).fetchall()
    return next((line for (line,) in lines if "Scan" in line), "no scan").strip()


def run(requests: int = 30, workers: int = 2) -> list[Row]:
    import os

    database_url = os.environ.get("BENCH_INSIGHTS_DATABASE_URL", DATABASE_URL)
    server_env = {"DATABASE_URL": database_url}
    ensure_database(database_url)
    setup_django(**server_env)
    load(database_url)
    start, end = window(database_url)
    insight, key = insight_and_key()

    raw_query = RawQuery(database_url, start, end)
    note_ids = framework_floor.prepare()
    api, raw, floor = [], [], []
    with gunicorn(workers=workers, **server_env) as url, framework_floor.server(workers=workers) as floor_url:
        call_api = ApiCaller(url, key, insight, start, end)
        call_floor = framework_floor.Client(floor_url, note_ids[0])
        for _ in range(3):
            call_api()
            raw_query()
            call_floor(framework_floor.RETRIEVE)
        if not same_numbers(call_api.answer, raw_query.rows):
            raise RuntimeError("the API's numbers differ from the raw statement's")
        # In turns, so both meet the same cache and the same load on the machine; the framework floor's retrieve
        # (a keep-alive connection, as the API's) in the same turns.
        for number in range(requests):
            pair = (raw_query, call_api) if number % 2 else (call_api, raw_query)
            for measure in pair:
                (raw if measure is raw_query else api).append(measure())
            floor.append(call_floor(framework_floor.RETRIEVE))

    print(f"raw statement's scan: {plan(database_url, start, end)}")
    api_median, raw_median = median_ms(api), median_ms(raw)
    ratio = api_median / raw_median
    rows = [
        Row(
            "insight results: 1 event, 1 filter, 1 breakdown, 90 days by day, 1M events (via gunicorn)",
            f"median {api_median:.1f} ms, p90 {percentile_ms(api, 90):.1f} ms",
            f"< {TARGET_MEDIAN_MS} ms, <= {TARGET_RATIO:.0f}x raw SQL",
            f"raw SQL median {raw_median:.1f} ms, p90 {percentile_ms(raw, 90):.1f} ms",
            f"{ratio:.2f}x",
            verdict(api_median < TARGET_MEDIAN_MS and ratio <= TARGET_RATIO),
            floor=framework_floor.versus_time(api_median, median_ms(floor), framework_floor.RETRIEVE),
        )
    ]
    for row in rows:
        print(f"{row.benchmark}: {row.figure} (target {row.target}); peer {row.peer}; ratio {row.ratio}; {row.verdict}")
        print(f"against the framework floor: {row.floor}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30, help="Timed requests each way (30).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2: one per core here).")
    args = parser.parse_args()
    rows = run(args.requests, args.workers)
    (ROOT / "bench" / "results-insights_results.json").write_text(json.dumps([vars(r) for r in rows], indent=2) + "\n")


if __name__ == "__main__":
    main()
