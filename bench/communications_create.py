"""communications/create through a real server: gunicorn on loopback, PostgreSQL, Redis as the broker.

wrk drives POST /crmapi/rest/v2/communications/create for a phone note (one communication row) and for an
outgoing email (communication + outbound message row + a task handed to Redis), next to the same family's
communications/show of one communication (authentication, a lookup and the same response serializer) as the
peer measured in the same run: the ratio is what writing costs over reading.

The per-key rate limit (one Redis round trip per request) is measured in the same run: the phone-note create
against two servers side by side, one counting the key in Redis and one without the limit
(RATE_LIMIT_REDIS_URL empty), in alternating rounds; the cost is the median of the rounds' ratios. Beside it, the
CPU time of one count in this process.

    .venv/bin/python bench/communications_create.py [--seconds 15] [--connections 16] [--workers 4]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


def prepare() -> tuple[str, str]:
    """An all-scopes API key and a contact in the bench database."""
    from accounts import services
    from accounts.models import Contact

    contact = Contact.objects.filter(code="BENCH-COMMS").first() or services.create_contact(
        is_test=False, code="BENCH-COMMS", first_name="Bench", last_name="Customer", email="bench@example.com"
    )
    key = services.create_api_key("bench communications", ["communications.read", "communications.write"])
    return key, contact.id.hex.upper()


def create_scenario(token: str, contact_id: str, outgoing_email: bool) -> str:
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
            "referring_to": {"subscription_identifier": {"number": "S%05d"}},
        }
    template = json.dumps(body).replace("'", "\\'")
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
  n = n + 1
  local body = string.gsub('{template}', "%%%%d", tostring(n))
  return wrk.format(nil, "/crmapi/rest/v2/communications/create", nil, body)
end
"""


TARGET_RPS = 500
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


def rate_limit_cost(token: str, contact_id: str, seconds: float, connections: int, workers: int) -> harness.Row:
    """The phone-note create with the limit counted in Redis and without it, in alternating rounds; the cost is
    the median of the rounds' ratios, so load from elsewhere on the machine falls on both sides of each pair."""
    scenario = create_scenario(token, contact_id, outgoing_email=False)
    rates: dict[str, list[float]] = {"counted": [], "off": []}
    with (
        harness.gunicorn(workers=workers) as counted,
        harness.gunicorn(workers=workers, RATE_LIMIT_REDIS_URL="") as off,
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
    )


def run(seconds: float = 15, connections: int = 16, workers: int = 4) -> list[harness.Row]:
    """Both scenarios and their peer against one server; prints the detail, returns the table rows."""
    database_url = os.environ.get("BENCH_DATABASE_URL", harness.DEFAULT_DATABASE_URL)
    broker_url = os.environ.get("BENCH_BROKER_URL", harness.DEFAULT_BROKER_URL)
    harness.ensure_database(database_url)
    harness.setup_django()
    token, contact_id = prepare()

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
    scenarios = {
        "communications/show (peer)": (show_path, ""),
        "create: phone note": ("/", create_scenario(token, contact_id, outgoing_email=False)),
        "create: email, queued for sending": ("/", create_scenario(token, contact_id, outgoing_email=True)),
    }
    results = {}
    with harness.gunicorn(workers=workers) as url:
        for name, (path, scenario) in scenarios.items():
            harness.wrk(url + path, scenario, connections=connections, seconds=2)  # warm every worker
            results[name] = load = harness.wrk(url + path, scenario, connections=connections, seconds=seconds)
            if load.errors:
                raise SystemExit(
                    f"{name}: {load.failed} failed answers, {load.socket_errors} socket errors: {load.sample}"
                )

    import redis

    redis.Redis.from_url(broker_url).delete("email", "sms")  # no worker ran: drop the wake-ups we queued

    limit_row = rate_limit_cost(token, contact_id, min(seconds, 8), connections, workers)
    redis.Redis.from_url(broker_url).delete("email", "sms")

    peer = results["communications/show (peer)"]
    print(f"\n{seconds:.0f} s per scenario, {connections} connections (wrk), {workers} gunicorn workers")
    print(f"{'scenario':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s vs peer':>14}")
    for name, load in results.items():
        print(f"{name:38} {load.rps:8.1f} {load.p50_ms:8.1f} {load.p99_ms:8.1f} {load.rps / peer.rps:13.2f}x")
    rows = [
        harness.Row(
            f"communications/create over HTTP, {name.removeprefix('create: ')}",
            f"{load.rps:.0f} req/s, p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms",
            f">= {TARGET_RPS} req/s",
            f"communications/show {peer.rps:.0f} req/s",
            f"{load.rps / peer.rps:.2f}x",
            harness.verdict(load.rps >= TARGET_RPS),
        )
        for name, load in results.items()
        if name != "communications/show (peer)"
    ]
    return [*rows, limit_row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="Seconds per scenario (after a warm-up).")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent wrk connections.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    args = parser.parse_args()
    harness.print_table(run(args.seconds, args.connections, args.workers))


if __name__ == "__main__":
    main()
