"""get_letter_status with 5,000 refs over 1,000,000 letters, through a real server, against the same
lookup as one raw SQL query in the same run.

    .venv/bin/python bench/letter_status.py                # load once (kept between runs), then measure
    .venv/bin/python bench/letter_status.py --requests 50  # more timed requests

The letters live in their own PostgreSQL database (BENCH_POSTAL_DATABASE_URL, default corr_postal_bench),
loaded with one INSERT … SELECT over generate_series. gunicorn serves on loopback; the polling allowance
counts every request in Redis (BENCH_POSTAL_REDIS_URL) as in production, with the allowance raised so
repeated refs are answered. Each request asks for 5,000 refs drawn at random (a tenth of them unknown);
the API and the raw query are timed in turns on the same refs.
Targets: median under 100 ms, and at most 3x the raw query. The framework floor's retrieve
(bench/framework_floor.py, a server of the same settings) is timed in the same turns.
"""

import argparse
import http.client
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
from harness import ROOT, Row, checkpoint, ensure_database, gunicorn, median_ms, percentile_ms, setup_django, verdict

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/corr_postal_bench"
REDIS_URL = "redis://127.0.0.1:6379/6"
ACCOUNT = "BENCH001"
LETTERS = 1_000_000
LETTERS_PER_MAILING = 1_000
REFS_PER_REQUEST = 5_000
TARGET_MEDIAN_MS = 100
TARGET_RATIO = 3.0

LOAD_SQL = """
INSERT INTO postal_postalaccount (id, code, name, created_on)
VALUES (gen_random_uuid(), %(account)s, 'Benchmark customer', now()), (gen_random_uuid(), 'OTHER001', 'Other', now());

INSERT INTO postal_mailing (id, epid, postal_account_id, source, uploaded_on, is_test)
SELECT gen_random_uuid(), upper(substr(md5('m' || n) || md5('n' || n), 1, 28)), a.id, 'API',
       now() - make_interval(mins => %(mailings)s - n), false
FROM generate_series(1, %(mailings)s) AS n, postal_postalaccount a WHERE a.code = %(account)s;

CREATE TEMP TABLE numbered_mailing AS
SELECT id, row_number() OVER (ORDER BY uploaded_on) AS position FROM postal_mailing;

INSERT INTO postal_letter (mailing_id, postal_account_id, is_test, ref, idx, status, transports, transport, price,
    email, phone, pdf, tracking_token, received_on, handed_over_on, lodged_on, last_error, return_reason,
    email_first_opened, email_last_opened)
SELECT m.id, a.id, false, 'ref-' || n, (n - 1) %% %(per_mailing)s + 1,
       (ARRAY['Received', 'Lodged', 'Lodged', 'Lodged', 'Cancelled', 'Returned'])[n %% 6 + 1],
       CASE WHEN n %% 10 = 0 THEN '["SMS", "POST"]'::jsonb ELSE '["EMAIL", "POST"]'::jsonb END,
       CASE WHEN n %% 10 = 0 THEN 'POST' ELSE 'EMAIL' END,
       CASE WHEN n %% 10 = 0 THEN 1.93 ELSE 0.20 END,
       'customer' || n || '@example.com', '', 'postal/bench/' || n || '.pdf', md5('t' || n),
       now() - interval '1 day', now() - interval '1 day', now() - interval '23 hours', '', '',
       CASE WHEN n %% 3 = 0 THEN now() - interval '20 hours' END,
       CASE WHEN n %% 3 = 0 THEN now() - interval '10 hours' END
FROM generate_series(1, %(letters)s) AS n
JOIN numbered_mailing m ON m.position = (n - 1) / %(per_mailing)s + 1
CROSS JOIN postal_postalaccount a WHERE a.code = %(account)s;

ANALYZE postal_postalaccount, postal_mailing, postal_letter;
"""

# The lookup the service makes, written by hand: one statement on the (account, mode, ref) unique index.
RAW_SQL = """
SELECT l.ref, l.dbid, m.epid, l.status, l.idx, FLOOR(EXTRACT(EPOCH FROM l.received_on))::bigint, l.price::float8,
       l.transports, l.transport,
       FLOOR(EXTRACT(EPOCH FROM l.email_first_opened))::bigint, FLOOR(EXTRACT(EPOCH FROM l.email_last_opened))::bigint,
       FLOOR(EXTRACT(EPOCH FROM l.doc_first_opened))::bigint, FLOOR(EXTRACT(EPOCH FROM l.doc_last_opened))::bigint
FROM postal_letter l
JOIN postal_postalaccount a ON a.id = l.postal_account_id
JOIN postal_mailing m ON m.id = l.mailing_id
WHERE a.code = %s AND l.is_test = false AND l.ref = ANY(string_to_array(%s, E'\\n'))
"""


def load(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url) as conn:
        have = conn.execute("SELECT count(*) FROM postal_letter").fetchone()[0]
        if have == LETTERS:
            print(f"{have:,} letters already loaded")
            return
        print(f"loading {LETTERS:,} letters …", flush=True)
        started = time.perf_counter()
        conn.execute("TRUNCATE postal_letter, postal_mailing, postal_postalaccount CASCADE")
        params = {
            "account": ACCOUNT,
            "letters": LETTERS,
            "mailings": LETTERS // LETTERS_PER_MAILING,
            "per_mailing": LETTERS_PER_MAILING,
        }
        for statement in filter(str.strip, LOAD_SQL.split(";\n")):
            conn.execute(statement, params if "%(" in statement else None)
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
    checkpoint(database_url)


def api_key() -> str:
    from accounts.services import create_api_key

    return create_api_key("letter-status bench", ["postal.read"], postal_accounts=[ACCOUNT])


def ref_batches(count: int, seed: int) -> list[list[str]]:
    """Random refs per request; one in ten names no letter, as real pollers' lists do."""
    rng = random.Random(seed)
    batches = []
    for _ in range(count):
        known = rng.sample(range(1, LETTERS + 1), REFS_PER_REQUEST * 9 // 10)
        unknown = [f"missing-{rng.randrange(10**9)}" for _ in range(REFS_PER_REQUEST - len(known))]
        batch = [f"ref-{n}" for n in known] + unknown
        rng.shuffle(batch)
        batches.append(batch)
    return batches


class ApiCaller:
    """One keep-alive connection to the server, as an integrator's poller would hold."""

    def __init__(self, url: str, key: str):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = {"Content-Type": "text/json", "Authorization": f"Bearer {key}"}

    def __call__(self, refs: list[str]) -> float:
        params = {"account": ACCOUNT, "refs": refs}
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "get_letter_status", "params": params})
        started = time.perf_counter()
        self.connection.request("POST", "/publicinterface/jsonrpc", body, self.headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        answer = json.loads(payload)
        if response.status != 200 or len(answer["result"]["letters"]) != REFS_PER_REQUEST:
            raise RuntimeError(f"unexpected answer {response.status}: {payload[:300]!r}")
        return elapsed


class RawQuery:
    def __init__(self, database_url: str):
        import psycopg

        self.conn = psycopg.connect(database_url, autocommit=True)

    def __call__(self, refs: list[str]) -> float:
        started = time.perf_counter()
        rows = self.conn.execute(RAW_SQL, [ACCOUNT, "\n".join(refs)]).fetchall()
        elapsed = time.perf_counter() - started
        if len(rows) != REFS_PER_REQUEST * 9 // 10:
            raise RuntimeError(f"raw query found {len(rows)} letters")
        return elapsed


def index_used(database_url: str, refs: list[str]) -> str:
    import psycopg

    with psycopg.connect(database_url) as conn:
        plan = conn.execute("EXPLAIN " + RAW_SQL, [ACCOUNT, "\n".join(refs)]).fetchall()
    return next((line for (line,) in plan if "Index" in line and " on postal_letter" in line), "no index scan").strip()


def run(requests: int = 30, workers: int = 2) -> list[Row]:
    import os

    database_url = os.environ.get("BENCH_POSTAL_DATABASE_URL", DATABASE_URL)
    redis_url = os.environ.get("BENCH_POSTAL_REDIS_URL", REDIS_URL)
    server_env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "POSTAL_POLL_REDIS_URL": redis_url,
        "POSTAL_POLL_ALLOWANCE": 1_000_000,
    }
    ensure_database(database_url)
    setup_django(**server_env)
    load(database_url)
    key = api_key()
    warm_up, timed = 10, requests
    batches = ref_batches(warm_up + timed, seed=2)

    raw_query = RawQuery(database_url)
    note_ids = framework_floor.prepare()
    api, raw, floor = [], [], []
    with gunicorn(workers=workers, **server_env) as url, framework_floor.server(workers=workers) as floor_url:
        call_api = ApiCaller(url, key)
        call_floor = framework_floor.Client(floor_url, note_ids[0])
        for refs in batches[:warm_up]:
            call_api(refs)
            raw_query(refs)
            call_floor(framework_floor.RETRIEVE)
        # The same refs both ways, in turns, so both meet the same cache and the same load on the machine; the
        # framework floor's retrieve in the same turns, over a keep-alive connection as the API's.
        for number, refs in enumerate(batches[warm_up:]):
            if number % 2:
                raw.append(raw_query(refs))
                api.append(call_api(refs))
            else:
                api.append(call_api(refs))
                raw.append(raw_query(refs))
            floor.append(call_floor(framework_floor.RETRIEVE))

    print(f"plan: {index_used(database_url, batches[0])}")
    api_median, raw_median = median_ms(api), median_ms(raw)
    ratio = api_median / raw_median
    rows = [
        Row(
            "get_letter_status, 5,000 refs, 1M letters (JSON-RPC via gunicorn)",
            f"median {api_median:.1f} ms, p99 {percentile_ms(api, 99):.1f} ms",
            f"< {TARGET_MEDIAN_MS} ms",
            f"raw SQL median {raw_median:.1f} ms, p99 {percentile_ms(raw, 99):.1f} ms",
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
    parser.add_argument("--requests", type=int, default=30, help="Timed requests (30).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2: one per core here).")
    args = parser.parse_args()
    rows = run(args.requests, args.workers)
    (ROOT / "bench" / "results-letter_status.json").write_text(json.dumps([vars(row) for row in rows], indent=2) + "\n")


if __name__ == "__main__":
    main()
