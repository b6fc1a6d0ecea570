"""The framework floor, measured beside the product in the same run: what any request through Django and DRF costs.

`bench/floor/` is a minimal Django project (never imported by the product): one app with one five-field model
(`notes.Note`), a plain DRF `CreateAPIView` and `RetrieveAPIView` over a `ModelSerializer`, and, for reference, a
bare Django view that parses the JSON and calls `Note.objects.create`. It has its own PostgreSQL database (the
bench database's name + `_floor`) and is served by gunicorn with config/gunicorn.py and the same workers, threads
and worker class as the product server it is measured beside. Each benchmark with HTTP rows measures the floor's
matching operation the way it measures its own (wrk with the same connections and duration, in alternating rounds;
or one request at a time with the same client), and its rows say how far from the floor they are.

    .venv/bin/python bench/framework_floor.py [--seconds 15] [--connections 16] [--workers 4] [--rounds 3]
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

DIRECTORY = harness.ROOT / "bench" / "floor"
SETTINGS = "floorsite.settings"
NOTES = 200  # rows the retrieves read; a mix draws among them
CREATE, RETRIEVE, BARE_CREATE = "create", "retrieve", "bare create"
PATHS = {CREATE: "/notes/", BARE_CREATE: "/bare/notes/"}
NAMES = {RETRIEVE: "floor: DRF retrieve", CREATE: "floor: DRF create", BARE_CREATE: "floor: bare Django create"}
# A create's body: about as large as a phone note's.
NOTE = {
    "subject": "Call about the bill (%d)",
    "body": "Asked why the bill was higher than usual; explained the new tariff.",
    "email": "customer@example.com",
    "priority": 2,
}


def database_url() -> str:
    return harness.bench_database_url() + "_floor"


def server_env(**env) -> dict:
    # gunicorn's start-up check of PostgreSQL's connections is the product's code; the floor serves without it.
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url(),
        "WEB_CHECK_DATABASE_CONNECTIONS": "false",
        **env,
    }


def prepare() -> list[int]:
    """The floor's database, migrated, holding NOTES notes afresh (what earlier runs created is dropped, so every run
    writes into a table of the same size); returns their ids."""
    import psycopg

    harness.ensure_database(database_url(), directory=DIRECTORY, DJANGO_SETTINGS_MODULE=SETTINGS)
    with psycopg.connect(database_url(), autocommit=True) as conn:
        conn.execute("TRUNCATE notes_note RESTART IDENTITY")
        rows = conn.execute(
            "INSERT INTO notes_note (subject, body, email, priority, created_on)"
            " SELECT 'Call about the bill (' || n || ')', %s, 'customer' || n || '@example.com', n %% 5, now()"
            " FROM generate_series(1, %s) n RETURNING id",
            [NOTE["body"], NOTES],
        ).fetchall()
        conn.execute("ANALYZE notes_note")
    return [note_id for (note_id,) in rows]


@contextmanager
def server(workers: int = 4, threads: int = 1, worker_class: str = "sync", ready_timeout: float = 30.0, **env):
    """The floor served like the product server beside it: pass the same workers, threads, worker class and
    environment (e.g. DATABASE_CONN_MAX_AGE)."""
    with harness.gunicorn(
        workers, threads, worker_class, ready_timeout, app="floorsite.wsgi", directory=DIRECTORY, **server_env(**env)
    ) as url:
        yield url


def retrieve_path(note_id: int) -> str:
    return f"/notes/{note_id}"


def create_body(serial: int | str) -> str:
    return json.dumps(NOTE).replace("%d", str(serial))


def create_scenario(operation: str = CREATE) -> str:
    """Lua for wrk: every request a new note, numbered so subjects differ."""
    template = json.dumps(NOTE).replace("'", "\\'")
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
  n = n + 1
  local body = string.gsub('{template}', "%%d", tostring(n))
  return wrk.format(nil, "{PATHS[operation]}", nil, body)
end
"""


def target(url: str, operation: str, note_id: int) -> tuple[str, str]:
    """What harness.wrk and harness.alternate take for one of the floor's operations: the URL and the scenario."""
    if operation == RETRIEVE:
        return url + retrieve_path(note_id), ""
    return url + "/", create_scenario(operation)


class Client:
    """The floor's operations one request at a time, timed as a benchmark times its own: over one keep-alive
    connection (http.client), or a new connection per request (urllib) with `keep_alive=False`."""

    def __init__(self, url: str, note_id: int, keep_alive: bool = True):
        self.url, self.note_id, self.keep_alive, self.serial = url, note_id, keep_alive, 0
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30) if keep_alive else None

    def __call__(self, operation: str) -> float:
        """Seconds from sending `operation` to its whole answer; an answer outside 2xx stops the benchmark."""
        self.serial += 1
        path = retrieve_path(self.note_id) if operation == RETRIEVE else PATHS[operation]
        body = None if operation == RETRIEVE else create_body(self.serial).encode()
        headers = {"Accept": "application/json"} | ({"Content-Type": "application/json"} if body else {})
        method = "POST" if body else "GET"
        started = time.perf_counter()
        if self.connection is not None:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            status, payload = response.status, response.read()
        else:
            request = urllib.request.Request(self.url + path, data=body, headers=headers, method=method)
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        elapsed = time.perf_counter() - started
        if not 200 <= status <= 299:
            raise SystemExit(f"the floor's {operation} answered {status}: {payload[:300]!r}")
        return elapsed


def versus_rate(ours: float, floor: float, operation: str) -> str:
    """The table's cell for a rate: ours as a share of the floor's matching operation."""
    return f"{ours / floor:.2f}x its {operation}, {floor:.0f} req/s"


def versus_time(ours_ms: float, floor_ms: float, operation: str) -> str:
    """The cell for a time taken one request at a time, where the rate is its inverse: so the share reads like a
    rate's (0.25x: a quarter of the floor's rate, four times its time)."""
    return f"{floor_ms / ours_ms:.2f}x its {operation}, {floor_ms:.1f} ms one at a time"


def paired(ours: list[harness.Load], floor: list[harness.Load]) -> float:
    """The median of the rounds' ratios of rates: each round's pair met the same load from elsewhere."""
    return statistics.median(o.rps / f.rps for o, f in zip(ours, floor, strict=True))


def versus_rounds(ours: list[harness.Load], floor: list[harness.Load], operation: str) -> str:
    """The cell for a rate measured in alternating rounds beside the floor's."""
    floor_rps = harness.median_rps(floor)
    return f"{paired(ours, floor):.2f}x its {operation}, {floor_rps:.0f} req/s (median of {len(ours)} rounds' ratios)"


def row(loads: dict[str, list[harness.Load]], connections: int, server: str) -> harness.Row:
    """The floor itself as a row of the table, so its figures stand beside the rows that compare with it; `loads`
    by operation's name (NAMES)."""
    return harness.Row(
        f"the framework floor over HTTP (bench/floor: Django, DRF, a five-field model), {connections} connections, "
        f"{server}",
        "; ".join(f"{NAMES[op].removeprefix('floor: ')} {harness.median_load(loads[NAMES[op]])}" for op in NAMES),
        "",
        "",
        "",
        "",
    )


def run(seconds: float = 15, connections: int = 16, workers: int = 4, rounds: int = 3) -> list[harness.Row]:
    """The floor alone, its three operations in alternating rounds: what the others are compared with."""
    ids = prepare()
    with server(workers=workers) as url:
        targets = {NAMES[operation]: target(url, operation, ids[0]) for operation in NAMES}
        loads = harness.alternate(targets, rounds=rounds, seconds=seconds / rounds, connections=connections)
    for name, runs in loads.items():
        print(f"{name:26} {', '.join(f'{load.rps:.0f}' for load in runs)} req/s; {harness.median_load(runs)}")
    return [row(loads, connections, f"{workers} sync workers")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15, help="Seconds per operation, over all rounds (15).")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent wrk connections (16).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4).")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds (3).")
    args = parser.parse_args()
    harness.print_table(run(args.seconds, args.connections, args.workers, args.rounds))


if __name__ == "__main__":
    main()
