"""communications/create through a real server: gunicorn on loopback, PostgreSQL, Redis as the broker.

Measures requests per second and p50/p99 latency of POST /crmapi/rest/v2/communications/create for
a phone note (one communication row) and for an outgoing email (communication + outbound message
row + a task handed to Redis), next to GET /healthz (the stack plus one database query) as the peer
measured in the same run.

    .venv/bin/python bench/communications_create.py [--requests 600] [--clients 8] [--workers 4]
"""

import argparse
import http.client
import json
import os
import sys
import threading
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


def load(base_url: str, method: str, path: str, body_for, requests: int, clients: int) -> dict:
    host, port = base_url.removeprefix("http://").split(":")
    samples: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client():
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine = []
        for n in counter:
            body = body_for(n)
            payload = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if payload else {}
            started = time.perf_counter()
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                with lock:
                    failures.append(f"{response.status}")
        connection.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{path}: {len(failures)} non-200 answers, e.g. {failures[:3]}")
    return {
        "rps": len(samples) / elapsed,
        "p50": harness.median_ms(samples),
        "p99": harness.percentile_ms(samples, 99),
        "n": len(samples),
    }


TARGET_RPS = 500


def run(requests: int = 600, clients: int = 8, workers: int = 4) -> list[harness.Row]:
    """Both scenarios and their peer against one server; prints the detail, returns the table rows."""
    database_url = os.environ.get("BENCH_DATABASE_URL", harness.DEFAULT_DATABASE_URL)
    broker_url = os.environ.get("BENCH_BROKER_URL", harness.DEFAULT_BROKER_URL)
    harness.ensure_database(database_url)
    harness.setup_django()
    token, contact_id = prepare()

    def phone_note(n):
        return {
            "token": token,
            "contact_information_identifier": {"id": contact_id},
            "direction": "INCOMING",
            "media": "PHONE",
            "subject": f"Call {n}",
            "content": "Asked about #contact_information.first_name's last bill.",
        }

    def email(n):
        return {
            "token": token,
            "contact_information_identifier": {"id": contact_id},
            "direction": "OUTGOING",
            "media": "EMAIL",
            "to": "bench@example.com",
            "subject": f"Notice {n}",
            "content": "Dear #contact_information.first_name, your subscription #subscription.number is due.",
            "referring_to": {"subscription_identifier": {"number": f"S{n:05d}"}},
        }

    scenarios = [
        ("GET /healthz (peer)", "GET", "/healthz", lambda n: None),
        ("create: phone note", "POST", "/crmapi/rest/v2/communications/create", phone_note),
        ("create: email, queued for sending", "POST", "/crmapi/rest/v2/communications/create", email),
    ]
    results = {}
    with harness.gunicorn(workers=workers):
        pass  # make sure a cold start does not count: the first server is only for warming the database
    with harness.gunicorn(workers=workers) as url:
        for name, method, path, body_for in scenarios:
            load(url, method, path, body_for, requests=min(50, requests), clients=clients)  # warm-up
            results[name] = load(url, method, path, body_for, requests=requests, clients=clients)

    import redis

    redis.Redis.from_url(broker_url).delete("email", "sms")  # no worker ran: drop the wake-ups we queued

    peer = results["GET /healthz (peer)"]
    print(f"\n{requests} requests per scenario, {clients} clients, {workers} gunicorn workers")
    print(f"{'scenario':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s vs peer':>14}")
    for name, figures in results.items():
        ratio = figures["rps"] / peer["rps"]
        print(f"{name:38} {figures['rps']:8.1f} {figures['p50']:8.1f} {figures['p99']:8.1f} {ratio:13.2f}x")
    return [
        harness.Row(
            f"communications/create over HTTP, {name.removeprefix('create: ')}",
            f"{figures['rps']:.0f} req/s, p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms",
            f">= {TARGET_RPS} req/s",
            f"GET /healthz {peer['rps']:.0f} req/s",
            f"{figures['rps'] / peer['rps']:.2f}x",
            harness.verdict(figures["rps"] >= TARGET_RPS),
        )
        for name, figures in results.items()
        if name != "GET /healthz (peer)"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="Requests per scenario (after a warm-up).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent keep-alive client connections.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    args = parser.parse_args()
    harness.print_table(run(args.requests, args.clients, args.workers))


if __name__ == "__main__":
    main()
