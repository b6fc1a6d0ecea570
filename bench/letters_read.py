"""GET /backend/api/v1/correspondence/{id} (the letters family, seed 000) through a real server under wrk, beside
the framework floor's retrieve (bench/framework_floor.py) on a server of the same settings, in alternating rounds.

The letter is a demo customer's (`seed_demo`: the "Standard letter" type and its sections), asked for as its JSON
description (`Accept: application/json`) with an API key holding letters.read. gunicorn on loopback, PostgreSQL,
Redis counting the key's requests as in production.

    .venv/bin/python bench/letters_read.py [--seconds 15] [--connections 16] [--workers 4] [--rounds 3]

Target: at least half the floor's retrieve rate.
"""

import argparse
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
import harness

TARGET_FLOOR = 0.5
READ = "GET correspondence/{id}"


def prepare() -> tuple[str, str]:
    """The demo data in the bench database; a key that reads letters and the id of a letter it reads."""
    from django.core.management import call_command

    from accounts.services import create_api_key
    from correspondence.models import Correspondence

    call_command("seed_demo", stdout=io.StringIO())
    letter = Correspondence.objects.filter(customer__code="C123").order_by("pk").first()
    return create_api_key("bench letters read", ["letters.read"]), str(letter.pk)


def scenario(key: str) -> str:
    return f'wrk.headers["Authorization"] = {json.dumps(f"Bearer {key}")}\nwrk.headers["Accept"] = "application/json"\n'


def run(seconds: float = 15, connections: int = 16, workers: int = 4, rounds: int = 3) -> list[harness.Row]:
    harness.ensure_database(harness.bench_database_url())
    harness.setup_django()
    key, letter_id = prepare()
    note_ids = framework_floor.prepare()
    with harness.gunicorn(workers=workers) as url, framework_floor.server(workers=workers) as floor_url:
        loads = harness.alternate(
            {
                READ: (f"{url}/backend/api/v1/correspondence/{letter_id}", scenario(key)),
                "floor": framework_floor.target(floor_url, framework_floor.RETRIEVE, note_ids[0]),
            },
            rounds=rounds,
            seconds=seconds / rounds,
            connections=connections,
        )
    ours, floor = loads[READ], loads["floor"]
    share = framework_floor.paired(ours, floor)
    rates = {name: ", ".join(f"{load.rps:.0f}" for load in runs) for name, runs in loads.items()}
    print(f"\n{rounds} rounds of {seconds / rounds:.0f} s in turn, {connections} wrk connections, {workers} workers")
    print(f"{READ}: {rates[READ]} req/s; the floor's retrieve: {rates['floor']} req/s")
    return [
        harness.Row(
            f"letters {READ} over HTTP, one letter as JSON, {connections} connections",
            harness.median_load(ours),
            f">= {TARGET_FLOOR}x the floor's retrieve",
            "",
            "",
            harness.verdict(share >= TARGET_FLOOR),
            floor=framework_floor.versus_rounds(ours, floor, framework_floor.RETRIEVE),
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15, help="Seconds under wrk, over all rounds (15).")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers, ours and the floor's (4).")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds (3).")
    args = parser.parse_args()
    harness.print_table(run(args.seconds, args.connections, args.workers, args.rounds))


if __name__ == "__main__":
    main()
