"""Where one request's time goes: the per-request budget of the requests issue 17 measures, in-process.

Each request goes through Django's whole handler (every middleware, the URL resolver, DRF, the renderer) with
the same settings as the server, against the bench database; timers around DRF's and Django's own entry points
split its CPU time into authentication, parsing, validation, the view's own work, serialization, rendering and
what is left (middleware, routing, building the request). Query counts and their round-trip time come from a
database execute wrapper. Medians over `--requests` requests after a warm-up.

    .venv/bin/python bench/request_budget.py [--requests 200] [--profile NAME]

`--profile create` (or show, get_latest, process, activities, letter) prints a pyinstrument profile of that one
(wall time); with `--cpu cumulative` (or tottime), cProfile's, and with CALLERS=<function> in the environment,
who called that function. `--queries NAME` times each query; `--kinds a,b` measures only those kinds.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

PHASES = ("authentication", "permissions", "parsing", "validation", "serialization", "rendering")


class Budget:
    """Timers for one request: thread CPU time per phase (outermost call only), queries and their wall time."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.cpu = dict.fromkeys((*PHASES, "view", "total"), 0.0)
        self.queries = 0
        self.query_wall = 0.0
        self.active: set[str] = set()

    @contextmanager
    def phase(self, name):
        if name in self.active:
            yield
            return
        self.active.add(name)
        started = time.thread_time()
        try:
            yield
        finally:
            self.cpu[name] += time.thread_time() - started
            self.active.discard(name)

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.query_wall += time.perf_counter() - started


BUDGET = Budget()


def timed(owner, attribute: str, phase: str, is_property: bool = False):
    original = getattr(owner, attribute)
    if is_property:

        def getter(self):
            with BUDGET.phase(phase):
                return original.fget(self)

        setattr(owner, attribute, property(getter))
        return

    def wrapper(*args, **kwargs):
        with BUDGET.phase(phase):
            return original(*args, **kwargs)

    setattr(owner, attribute, wrapper)


def instrument():
    from django.core.handlers.base import BaseHandler
    from django.template.response import SimpleTemplateResponse
    from rest_framework import serializers
    from rest_framework.request import Request
    from rest_framework.views import APIView

    timed(BaseHandler, "get_response", "total")
    timed(APIView, "dispatch", "view")
    timed(Request, "_authenticate", "authentication")
    timed(APIView, "check_permissions", "permissions")
    timed(APIView, "check_throttles", "permissions")
    timed(Request, "_parse", "parsing")
    timed(serializers.BaseSerializer, "is_valid", "validation")
    timed(serializers.Serializer, "data", "serialization", is_property=True)
    timed(serializers.ListSerializer, "data", "serialization", is_property=True)
    timed(SimpleTemplateResponse, "render", "rendering")


def prepare() -> dict:
    """The data each request reads or writes, in the bench database (idempotent but for the new key)."""
    import communications_create
    import letters_read
    import queue_drain
    from django.db import connection

    from accounts.services import create_api_key

    letter_key, letter_id = letters_read.prepare()
    token, contact_id, _ = communications_create.prepare()
    systems = queue_drain.load_queue(2_000, 1)
    with connection.cursor() as cursor:
        # Filters that find the demo's pending activities, so the list answers a page of them.
        cursor.execute(
            "SELECT assigned_team_id, type_id FROM activities_activity WHERE state = 'PENDING'"
            " AND assigned_team_id IS NOT NULL AND NOT is_test ORDER BY created_on LIMIT 1"
        )
        team, kind = cursor.fetchone() or ("", "")
    backoffice = create_api_key("bench request budget", ["backoffice.read"])
    return {
        "token": token,
        "contact_id": contact_id,
        "system": systems[0],
        "letter_key": letter_key,
        "letter_id": letter_id,
        "backoffice": backoffice,
        "team": team,
        "type": kind,
    }


def requests(data: dict, client):
    """Name -> a callable making one request, asserting it answered 200."""
    crm = "/crmapi/rest/v2/communications"
    counter = iter(range(10**9))
    pending: list[str] = []

    def create():
        body = {
            "token": data["token"],
            "contact_information_identifier": {"id": data["contact_id"]},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": f"Call {next(counter)}",
            "content": "Asked about #contact_information.first_name's last bill.",
        }
        answer = client.post(f"{crm}/create", orjson.dumps(body), content_type="application/json")
        data["communication_number"] = orjson.loads(answer.content)["data"]["number"]
        return answer

    def show():
        return client.get(
            f"{crm}/show",
            {"token": data["token"], "communication_identifier": f"number={data['communication_number']}"},
        )

    def get_latest():
        answer = client.get(
            f"{crm}/queue/get_latest",
            {
                "token": data["token"],
                "communication_queue_external_system_identifier": f"name={data['system']}",
                "number": 100,
            },
        )
        pending[:] = [entry["id"] for entry in orjson.loads(answer.content)["data"]]
        return answer

    def process():
        if not pending:
            get_latest()
        body = {"token": data["token"], "communication_queue_identifier": {"id": pending.pop()}}
        return client.post(f"{crm}/queue/process", orjson.dumps(body), content_type="application/json")

    def activities():
        if not data["team"]:
            raise RuntimeError("no pending activity with a team in the bench database (seed_demo makes some)")
        return client.get(
            "/backoffice/v2/activities/",
            {"states": "PENDING", "assign_to_team_id": str(data["team"]), "types": str(data["type"])},
            HTTP_API_KEY=data["backoffice"],
        )

    def letter():
        return client.get(
            f"/backend/api/v1/correspondence/{data['letter_id']}",
            HTTP_AUTHORIZATION=f"Bearer {data['letter_key']}",
            HTTP_ACCEPT="application/json",
        )

    return {
        "create": create,
        "show": show,
        "get_latest": get_latest,
        "process": process,
        "activities": activities,
        "letter": letter,
    }


def backend_cpu() -> float:
    """CPU seconds this connection's PostgreSQL backend has used (from /proc: same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(call, count: int) -> dict:
    from django.db import connection

    samples = []
    with connection.execute_wrapper(BUDGET.execute):
        for n in range(count + 10):
            if n == 10:
                backend = backend_cpu()
            BUDGET.reset()
            answer = call()
            if answer.status_code != 200:
                raise RuntimeError(f"answered {answer.status_code}: {answer.content[:300]!r}")
            if n >= 10:
                samples.append((dict(BUDGET.cpu), BUDGET.queries, BUDGET.query_wall))
    backend = backend_cpu() - backend
    median = {name: statistics.median(s[0][name] for s in samples) * 1000 for name in samples[0][0]}
    inside_view = sum(median[name] for name in ("authentication", "permissions", "parsing", "validation"))
    median["view's own work"] = max(0.0, median["view"] - inside_view - median["serialization"])
    median["middleware, routing, request"] = max(0.0, median["total"] - median["view"] - median["rendering"])
    median["queries"] = statistics.median(s[1] for s in samples)
    median["query wall ms"] = statistics.median(s[2] for s in samples) * 1000
    median["PostgreSQL CPU (mean)"] = backend / count * 1000
    return median


COLUMNS = (
    "total",
    "middleware, routing, request",
    "authentication",
    "permissions",
    "parsing",
    "validation",
    "view's own work",
    "serialization",
    "rendering",
    "queries",
    "query wall ms",
    "PostgreSQL CPU (mean)",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per kind (200).")
    parser.add_argument("--kinds", help="Only these request kinds, comma-separated (all six).")
    parser.add_argument("--queries", help="Print the median wall time of each query of this request kind.")
    parser.add_argument("--cpu", help="With --profile: cProfile's instead, sorted by this (tottime, cumulative).")
    parser.add_argument("--profile", help="Print a pyinstrument profile of this request kind.")
    args = parser.parse_args()
    harness.ensure_database(harness.bench_env()["DATABASE_URL"])
    harness.setup_django(DEBUG="false")
    from django.test import Client

    data = prepare()
    client = Client(raise_request_exception=True)
    calls = requests(data, client)
    if args.queries:
        from django.db import connection

        timings: dict[int, list] = {}
        for _ in range(args.requests):
            seen = []

            def record(execute, sql, params, many, context, seen=seen):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    seen.append((sql, time.perf_counter() - started))

            with connection.execute_wrapper(record):
                calls[args.queries]()
            for index, (sql, wall) in enumerate(seen):
                timings.setdefault(index, [sql, []])[1].append(wall)
        for sql, walls in timings.values():
            print(f"{statistics.median(walls) * 1000:7.2f} ms  {sql[:300]}")
        return
    if args.profile:
        from pyinstrument import Profiler

        calls["create"]()
        for _ in range(20):
            calls[args.profile]()
        if args.cpu:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                calls[args.profile]()
            profile.disable()
            stats = pstats.Stats(profile).sort_stats(args.cpu)
            stats.print_stats(60)
            if os.environ.get("CALLERS"):
                stats.print_callers(os.environ["CALLERS"])
            return
        with Profiler(interval=0.0002) as profiler:
            for _ in range(args.requests):
                calls[args.profile]()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    instrument()
    kinds = args.kinds.split(",") if args.kinds else list(calls)
    figures = {name: measure(calls[name], args.requests) for name in kinds}
    print(f"CPU ms per request (median of {args.requests}; queries: count, their wall time, the backend's CPU)")
    print("| phase | " + " | ".join(figures) + " |")
    print("|---|" + "---|" * len(figures))
    for column in COLUMNS:
        cells = [
            f"{figures[name][column]:.0f}" if column == "queries" else f"{figures[name][column]:.2f}"
            for name in figures
        ]
        print(f"| {column} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
