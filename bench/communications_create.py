"""communications/create through a real server: gunicorn on loopback, PostgreSQL, Redis as the broker.

wrk drives POST /crmapi/rest/v2/communications/create for a phone note (one communication row) and for an
outgoing email (communication + outbound message row + a task handed to Redis), next to the same family's
communications/show of one communication (authentication, a lookup and the same response serializer) as the
peer measured in the same run: the ratio is what writing costs over reading.

    .venv/bin/python bench/communications_create.py [--seconds 15] [--connections 16] [--workers 4]
"""

import argparse
import json
import os
import sys
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

    peer = results["communications/show (peer)"]
    print(f"\n{seconds:.0f} s per scenario, {connections} connections (wrk), {workers} gunicorn workers")
    print(f"{'scenario':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s vs peer':>14}")
    for name, load in results.items():
        print(f"{name:38} {load.rps:8.1f} {load.p50_ms:8.1f} {load.p99_ms:8.1f} {load.rps / peer.rps:13.2f}x")
    return [
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="Seconds per scenario (after a warm-up).")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent wrk connections.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    args = parser.parse_args()
    harness.print_table(run(args.seconds, args.connections, args.workers))


if __name__ == "__main__":
    main()
