"""communications/create through a real server: gunicorn on loopback, PostgreSQL, Redis as the broker.

wrk drives POST /crmapi/rest/v2/communications/create for a phone note (one communication row) and for an
outgoing email (communication + outbound message row + a task handed to Redis), next to the same family's
communications/show of one communication (authentication, a lookup and the same response serializer) as the
peer measured in the same run: the ratio is what writing costs over reading. The framework floor
(bench/framework_floor.py) is served beside it with the same workers; its retrieve, create and bare Django create
alternate with ours in rounds, and each of our rows says its share of the floor's matching operation.

The per-key rate limit is measured in the same run: the phone-note create against two servers side by side, one
counting the key in Redis and one without the limit (API_KEY_RATE_LIMIT false: the key is still checked in Redis,
nothing is counted), in alternating rounds; the cost is the median of the rounds' ratios. Beside it, the CPU time
of one count in this process.

    .venv/bin/python bench/communications_create.py [--seconds 15] [--connections 16] [--workers 4] [--rounds 3]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import framework_floor
import harness


def prepare() -> tuple[str, str, str]:
    """An all-scopes API key, and a contact with a subscription, in the bench database."""
    from accounts import services
    from accounts.models import Contact, Subscription

    contact = Contact.objects.filter(code="BENCH-COMMS").first() or services.create_contact(
        is_test=False, code="BENCH-COMMS", first_name="Bench", last_name="Customer", email="bench@example.com"
    )
    subscription = contact.subscriptions.first() or services.save_record(
        Subscription(
            contact=contact,
            account=contact.accounts.first() or services.create_account(contact, currency_code="EUR"),
        )
    )
    key = services.create_api_key("bench communications", ["communications.read", "communications.write"])
    return key, contact.id.hex.upper(), subscription.number


def create_scenario(token: str, contact_id: str, outgoing_email: bool, subscription: str = "") -> str:
    """Lua for wrk: every request a new communication, numbered so subjects differ."""
    body = {
        "token": token,
        "contact_information_identifier": {"id": contact_id},
        "direction": "INCOMING",
        "media": "PHONE",
        "subject": "Call %d",
        "content": "Asked about #contact_information.first_name's last bill.",
    }
    if outgoing_email:
        body |= {
            "direction": "OUTGOING",
            "media": "EMAIL",
            "to": "bench@example.com",
            "subject": "Notice %d",
            "content": "Dear #contact_information.first_name, your subscription #subscription.number is due.",
            "referring_to": {"subscription_identifier": {"number": subscription}},
        }
    template = json.dumps(body).replace("'", "\\'")
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
  n = n + 1
  local body = string.gsub('{template}', "%%d", tostring(n))
  return wrk.format(nil, "/crmapi/rest/v2/communications/create", nil, body)
end
"""


TARGET_RPS = 500
# The shares of the framework floor's rates to reach, measured in the same run.
CREATE_TARGET_FLOOR = 0.5
SHOW_TARGET_FLOOR = 0.7
SHOW, PHONE_NOTE, EMAIL = "communications/show", "create: phone note", "create: email, queued for sending"
# What the per-key rate limit may cost a create, at most.
RATE_LIMIT_MAX_COST = 0.05
RATE_LIMIT_ROUNDS = 5
COUNTS_TIMED = 5000


def counting_cpu_ms(token: str) -> tuple[float, float]:
    """CPU and wall time of one count of a key (accounts.ratelimit.count_request) in this process, in ms."""
    from accounts.models import ApiKey
    from accounts.ratelimit import count_request

    key = ApiKey.objects.get(hashed_key=ApiKey.hash(token))
    count_request(key)  # connect first
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(COUNTS_TIMED):
        count_request(key)
    return (time.process_time() - cpu) * 1000 / COUNTS_TIMED, (time.perf_counter() - wall) * 1000 / COUNTS_TIMED


def rate_limit_cost(
    token: str, contact_id: str, seconds: float, connections: int, workers: int, floor_create_rps: float
) -> harness.Row:
    """The phone-note create with the limit counted in Redis and without it, in alternating rounds; the cost is
    the median of the rounds' ratios, so load from elsewhere on the machine falls on both sides of each pair.
    `floor_create_rps`: the framework floor's create in this run, for the row's last cell."""
    scenario = create_scenario(token, contact_id, outgoing_email=False)
    rates: dict[str, list[float]] = {"counted": [], "off": []}
    with (
        harness.gunicorn(workers=workers) as counted,
        harness.gunicorn(workers=workers, API_KEY_RATE_LIMIT="false") as off,
    ):
        urls = {"counted": counted, "off": off}
        for url in urls.values():
            harness.wrk(url + "/", scenario, connections=connections, seconds=2)  # warm every worker
        for _ in range(RATE_LIMIT_ROUNDS):
            for name, url in urls.items():
                load = harness.wrk(url + "/", scenario, connections=connections, seconds=seconds)
                if load.errors:
                    raise SystemExit(f"rate limit {name}: {load.failed} failed answers: {load.sample}")
                rates[name].append(load.rps)
    cost = statistics.median(1 - c / o for c, o in zip(rates["counted"], rates["off"], strict=True))
    cpu_ms, wall_ms = counting_cpu_ms(token)
    print(f"\nrate limit, phone note, {RATE_LIMIT_ROUNDS} alternating rounds of {seconds:.0f} s (req/s):")
    print(f"  counted in Redis: {', '.join(f'{r:.1f}' for r in rates['counted'])}")
    print(f"  without the limit: {', '.join(f'{r:.1f}' for r in rates['off'])}")
    print(f"  median cost {cost:+.1%}; one count {cpu_ms:.3f} ms CPU here, {wall_ms:.3f} ms with the round trip")
    return harness.Row(
        "communications/create over HTTP, phone note: cost of the per-key rate limit (one Redis round trip)",
        f"{statistics.median(rates['counted']):.0f} req/s counted (median of {RATE_LIMIT_ROUNDS} rounds); "
        f"one count {cpu_ms:.3f} ms CPU, {wall_ms:.3f} ms with its round trip",
        f"<= {RATE_LIMIT_MAX_COST:.0%} slower",
        f"the same server without the limit: {statistics.median(rates['off']):.0f} req/s",
        f"{cost:+.1%}",
        harness.verdict(cost <= RATE_LIMIT_MAX_COST),
        floor=framework_floor.versus_rate(
            statistics.median(rates["counted"]), floor_create_rps, framework_floor.CREATE
        ),
    )


def run(seconds: float = 15, connections: int = 16, workers: int = 4, rounds: int = 3) -> list[harness.Row]:
    """Both scenarios, the show and the framework floor's operations, in alternating rounds on two servers of the
    same settings; prints the detail, returns the table rows."""
    database_url = harness.bench_database_url()
    broker_url = os.environ.get("BENCH_BROKER_URL", harness.DEFAULT_BROKER_URL)
    harness.ensure_database(database_url)
    harness.setup_django()
    token, contact_id, subscription = prepare()
    note_ids = framework_floor.prepare()

    from accounts.models import Contact
    from communications.services import communications

    shown = communications.create_communication(
        is_test=False,
        contact=Contact.objects.get(code="BENCH-COMMS"),
        direction="INCOMING",
        media="PHONE",
        subject="Shown",
        content="The communication the read peer shows.",
    )
    show_path = f"/crmapi/rest/v2/communications/show?token={token}&communication_identifier=number={shown.number}"
    floor = framework_floor
    retrieve, create, bare = (floor.NAMES[op] for op in (floor.RETRIEVE, floor.CREATE, floor.BARE_CREATE))
    with harness.gunicorn(workers=workers) as url, floor.server(workers=workers) as floor_url:
        # Each of ours next to the floor's matching operation, so a pair meets the same load from elsewhere.
        targets = {
            SHOW: (url + show_path, ""),
            retrieve: floor.target(floor_url, floor.RETRIEVE, note_ids[0]),
            PHONE_NOTE: (url + "/", create_scenario(token, contact_id, outgoing_email=False)),
            create: floor.target(floor_url, floor.CREATE, note_ids[0]),
            EMAIL: (url + "/", create_scenario(token, contact_id, outgoing_email=True, subscription=subscription)),
            bare: floor.target(floor_url, floor.BARE_CREATE, note_ids[0]),
        }
        loads = harness.alternate(targets, rounds=rounds, seconds=seconds / rounds, connections=connections)

    import redis

    redis.Redis.from_url(broker_url).delete("email", "sms")  # no worker ran: drop the wake-ups we queued

    show = loads[SHOW]
    limit_row = rate_limit_cost(
        token, contact_id, min(seconds, 8), connections, workers, harness.median_rps(loads[create])
    )
    redis.Redis.from_url(broker_url).delete("email", "sms")

    print(f"\n{rounds} alternating rounds of {seconds / rounds:.0f} s per scenario, {connections} connections (wrk),")
    print(f"{workers} gunicorn sync workers for ours and for the framework floor; medians of the rounds")
    print(f"{'scenario':38} {'req/s by round':>22} {'median':>7} {'p50 ms':>7} {'p99 ms':>7} {'vs show':>8}")
    for name, runs in loads.items():
        rates = ", ".join(f"{load.rps:.0f}" for load in runs)
        p50, p99 = (statistics.median(getattr(load, key) for load in runs) for key in ("p50_ms", "p99_ms"))
        median, vs_show = harness.median_rps(runs), floor.paired(runs, show)
        print(f"{name:38} {rates:>22} {median:7.0f} {p50:7.1f} {p99:7.1f} {vs_show:7.2f}x")
    rows = [
        harness.Row(
            "communications/show over HTTP, one communication",
            harness.median_load(show),
            f">= {SHOW_TARGET_FLOOR}x the floor's retrieve",
            "",
            "",
            harness.verdict(floor.paired(show, loads[retrieve]) >= SHOW_TARGET_FLOOR),
            floor=floor.versus_rounds(show, loads[retrieve], floor.RETRIEVE),
        )
    ]
    for name, target in ((PHONE_NOTE, CREATE_TARGET_FLOOR), (EMAIL, None)):
        runs = loads[name]
        rps, share = harness.median_rps(runs), floor.paired(runs, loads[create])
        rows.append(
            harness.Row(
                f"communications/create over HTTP, {name.removeprefix('create: ')}",
                harness.median_load(runs),
                f">= {TARGET_RPS} req/s" + (f" and >= {target}x the floor's create" if target else ""),
                f"communications/show {harness.median_rps(show):.0f} req/s",
                f"{floor.paired(runs, show):.2f}x",
                harness.verdict(rps >= TARGET_RPS and (target is None or share >= target)),
                floor=floor.versus_rounds(runs, loads[create], floor.CREATE),
            )
        )
    return [*rows, limit_row, floor.row(loads, connections, f"{workers} sync workers")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="Seconds per scenario over all rounds (15).")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent wrk connections.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (ours and the floor's).")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds the seconds are split into (3).")
    args = parser.parse_args()
    harness.print_table(run(args.seconds, args.connections, args.workers, args.rounds))


if __name__ == "__main__":
    main()
