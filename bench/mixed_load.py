"""200 concurrent clients for 60 s across the five API families: zero errors, p50/p99 per family and overall.

gunicorn on loopback (PostgreSQL, Redis as the broker) serves a mix of what the five families' integrators
send, driven by wrk with one connection per wrk thread so the Lua scenario can time and check each request
by kind: back-office v2 (contact accounts, an account, contact search, filtered activities, creating an
activity), CRM.COM communications (list, show, create a phone note, create an email queued for sending),
letters (a customer's letters, one letter, creating a letter), Altinn-style correspondence (overview,
details) and postal JSON-RPC (get_letter_status for ten refs). Any answer outside 2xx, socket error or
timeout is a failure. Afterwards the writes are counted in the database (every acknowledged write is
there, nothing beyond what was sent) and checked for half-written records.

The peer, in the same run and on the same server: GET /healthz with the same number of connections.

    .venv/bin/python bench/mixed_load.py                     # 200 connections, 60 s
    .venv/bin/python bench/mixed_load.py --seconds 10 --connections 50
    .venv/bin/python bench/mixed_load.py --worker-class sync --workers 4 --threads 1
    .venv/bin/python bench/mixed_load.py --seconds 20 --compare sync:4:1,gthread:4:8   # in turns, side by side
"""

import argparse
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

CONTACTS = 600  # every third a company, with a valid Norwegian organisation number (an Altinn recipient)
POSTAL_ACCOUNT = "LOAD0001"
POSTAL_LETTERS = 2_000
REFS_PER_STATUS_QUERY = 10
POOL = 200  # records named per kind of request; each request draws one at random
# The server as config/gunicorn.py runs it by default: gthread keeps the 200 connections open (sync workers close
# each after one answer); one worker per core, 16 threads each, 32 database connections on 2 cores.
WORKER_CLASS, WORKERS, THREADS = "gthread", os.cpu_count() or 2, 16
WRITE_MARK = "@N@"  # replaced by a serial per request in a write's body, so each write is told apart


@dataclass
class Kind:
    """One kind of request in the mix, e.g. back-office v2 `GET accounts/{id}`; `weight` per deck of 20.

    `path` and `body` may hold @1@, @2@ …, filled from one of `values` (drawn at random per request), and a
    write's body @N@, a serial per request, so each write is told apart."""

    family: str
    name: str
    weight: int
    method: str
    path: str
    headers: dict
    body: str = ""
    values: list[tuple[str, ...]] = field(default_factory=lambda: [()])
    write: bool = False


# Data --------------------------------------------------------------------------------------------------


def organisation_number(n: int) -> str:
    """A valid organisation number (mod 11 check digit) for the n-th load company."""
    from stdnum.no import orgnr

    base = 95_000_000 + n * 7
    while True:
        valid = [f"{base:08d}{digit}" for digit in range(10) if orgnr.is_valid(f"{base:08d}{digit}")]
        if valid:
            return valid[0]
        base += 1  # no check digit fits (remainder 1): take the next base


def load_customers() -> None:
    """Contacts with accounts, communications, letters and an activity each, through the services; idempotent."""
    from django.db import transaction

    from accounts import services as accounts
    from accounts.models import Classification, Contact, PaymentTerms, Team
    from activities import services as activities
    from activities.models import ActivityType
    from communications import services as communications
    from correspondence import services as letters
    from correspondence.models import CorrespondenceType

    have = set(Contact.objects.filter(code__startswith="LOAD-").values_list("code", flat=True))
    missing = [n for n in range(CONTACTS) if f"LOAD-{n:05d}" not in have]
    if not missing:
        return
    print(f"loading {len(missing)} customers with accounts, communications, letters and activities …", flush=True)
    started = time.perf_counter()
    terms = PaymentTerms.objects.get(name="Net 30")
    classification = Classification.objects.get(name="Business")
    letter = CorrespondenceType.objects.get(name="Standard letter")
    call = ActivityType.objects.in_mode(False).get(name="call")
    support = Team.objects.get(name="Support")
    rng = random.Random(9)
    first_names = ["Anna", "Ben", "Clara", "David", "Eva", "Filip", "Grete", "Henrik", "Ida", "Jonas"]
    last_names = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"]
    for n in missing:
        code = f"LOAD-{n:05d}"
        if n % 3 == 0:
            names = {"contact_type": "COMPANY", "company_name": f"Load Company {n} AS"}
            names["org_number"] = organisation_number(n)
        else:
            names = {"first_name": rng.choice(first_names), "last_name": f"{rng.choice(last_names)}{n}"}
        with transaction.atomic():
            contact = accounts.create_contact(
                is_test=False,
                code=code,
                email=f"customer{n}@example.com",
                phone=f"+4790{n:06d}",
                addresses=[
                    {
                        "address_line_1": f"Storgata {n % 90 + 1}",
                        "town_city": "Oslo",
                        "postal_code": f"{150 + n % 50:04d}",
                        "country_code": "NOR",
                        "is_primary": True,
                    }
                ],
                **names,
            )
            address = contact.addresses.first()
            for position in range(1 + n % 2):
                accounts.create_account(
                    contact,
                    currency_code="NOK" if position == 0 else "EUR",
                    is_primary=position == 0,
                    classification=classification,
                    billing_address=address,
                    payment_terms=terms,
                    credit_limit=Decimal("1000.00"),
                )
            for number in range(3):
                communications.create_communication(
                    is_test=False,
                    contact=contact,
                    direction="INCOMING",
                    media="PHONE",
                    subject=f"Call about the bill ({number + 1})",
                    content="Asked why the bill was higher than usual; explained the new tariff.",
                )
            for subject in ("Your new tariff", "Meter reading due"):
                letters.create_correspondence(
                    contact,
                    correspondence_type=letter,
                    content={"subject": subject, "body": "Dear customer,\n\nPlease find the details below."},
                )
            starts = contact.created_on + timedelta(days=1 + n % 20)
            activities.create_activity(
                is_test=False,
                name="Call customer",
                type=call,
                contact=contact,
                scheduled_from=starts,
                scheduled_to=starts + timedelta(hours=1),
                assigned_team=support,
            )
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


def load_postal_letters() -> None:
    from accounts.models import Contact
    from postal import services as postal
    from postal.demo import letter_pdf
    from postal.models import Letter, PostalAccount

    account, _ = PostalAccount.objects.get_or_create(
        code=POSTAL_ACCOUNT,
        defaults={"name": "Load customer", "contact": Contact.objects.filter(code="LOAD-00000").first()},
    )
    have = Letter.objects.filter(postal_account=account, is_test=False).count()
    if have >= POSTAL_LETTERS:
        return
    print(f"uploading {POSTAL_LETTERS - have} postal letters …", flush=True)
    pdf = letter_pdf("load", ["Dear customer,", "Your statement is enclosed."])
    for start in range(have, POSTAL_LETTERS, 500):
        uploads = [
            postal.LetterUpload(ref=f"load-{n:06d}", pdf=pdf, transport="POST")
            for n in range(start, min(start + 500, POSTAL_LETTERS))
        ]
        postal.receive_mailing(account, uploads, is_test=False)


def altinn_dispatch(sender_key: str) -> list[str]:
    """One Initialize to every load company from this run's sender, published: the ids its sender reads."""
    from accounts.models import ApiKey, Contact
    from correspondence import services
    from correspondence.recipients import Recipient

    sender = ApiKey.objects.get(prefix=sender_key[:16])
    companies = Contact.objects.filter(code__startswith="LOAD-", contact_type="COMPANY").values_list(
        "org_number", flat=True
    )
    initialized = services.initialize_dispatch(
        sender=sender,
        recipients=[Recipient(number, is_organisation=True) for number in companies],
        content=services.MessageContent(
            language="nb", title="Ny faktura", summary="Fakturaen for mars er klar.", body="Se vedlagt faktura."
        ),
        senders_reference="load-invoices",
    )
    services.publish_due_correspondences(dispatch_id=initialized.dispatch.pk)
    return [str(correspondence.pk) for correspondence, _ in initialized.correspondences]


def api_keys() -> dict[str, str]:
    """One key per integrator, with its family's scopes, as each would be issued in production."""
    from accounts.services import create_api_key

    return {
        "backoffice": create_api_key("load back-office", ["backoffice.read", "backoffice.write"]),
        "crm": create_api_key("load CRM", ["communications.read", "communications.write"]),
        "letters": create_api_key("load letters", ["letters.read", "letters.write"]),
        "altinn": create_api_key("load Altinn sender", ["altinn:correspondence.write", "correspondence.read"]),
        "postal": create_api_key("load postal poller", ["postal.read"], postal_accounts=[POSTAL_ACCOUNT]),
    }


# The mix ---------------------------------------------------------------------------------------------------


def mix(keys: dict[str, str], altinn_ids: list[str], tag: str, seed: int = 1) -> list[Kind]:
    from accounts.models import Account, Contact, Team
    from activities.models import ActivityType
    from communications.models import Communication
    from correspondence.models import Correspondence
    from postal.models import Letter

    rng = random.Random(seed)
    contacts = list(Contact.objects.filter(code__startswith="LOAD-").values("id", "email", "last_name"))
    accounts = list(Account.objects.filter(contact__code__startswith="LOAD-").values_list("id", flat=True))
    numbers = list(
        Communication.objects.filter(contact__code__startswith="LOAD-", subject__startswith="Call about")
        .order_by("number")
        .values_list("number", flat=True)
    )
    letters = list(
        Correspondence.objects.filter(customer__code__startswith="LOAD-", correspondence_type__name="Standard letter")
        .order_by("pk")
        .values_list("id", flat=True)
    )
    refs = list(Letter.objects.filter(postal_account__code=POSTAL_ACCOUNT).values_list("ref", flat=True))
    call = ActivityType.objects.in_mode(False).get(name="call").id
    support = Team.objects.get(name="Support").id
    people = [c for c in contacts if c["last_name"]]

    v2 = {"api_key": keys["backoffice"], "Accept": "application/json"}
    v2_write = {**v2, "Content-Type": "application/json"}
    bearer = {"Authorization": f"Bearer {keys['letters']}", "Accept": "application/json"}
    letters_write = {**bearer, "Content-Type": "application/json"}
    altinn = {"Authorization": f"Bearer {keys['altinn']}", "Accept": "application/json"}
    postal = {"Authorization": f"Bearer {keys['postal']}", "Content-Type": "application/json"}
    crm_read = {"Accept": "application/json"}
    crm_write = {"Content-Type": "application/json", "Accept": "application/json"}
    token = keys["crm"]
    now = int(time.time())

    def pick(items, shown=str) -> list[tuple[str, ...]]:
        return [(shown(rng.choice(items)),) for _ in range(POOL)]

    def body(fields: dict) -> str:
        return json.dumps(fields)

    def customers() -> list[tuple[str, ...]]:
        return pick(contacts, lambda c: str(c["id"]))

    crm_contact = {"contact_information_identifier": {"id": "@1@"}}
    kinds = [
        Kind(
            "back-office v2",
            "GET contacts/{id}/accounts",
            2,
            "GET",
            "/backoffice/v2/contacts/@1@/accounts",
            v2,
            values=customers(),
        ),
        Kind("back-office v2", "GET accounts/{id}", 2, "GET", "/backoffice/v2/accounts/@1@", v2, values=pick(accounts)),
        Kind(
            "back-office v2",
            "GET contacts?search_value=",
            1,
            "GET",
            "/backoffice/v2/contacts?search_value=@1@&size=20",
            v2,
            values=pick([c["last_name"] for c in people]),
        ),
        Kind(
            "back-office v2",
            "GET activities/ (3 filters, page of 20)",
            1,
            "GET",
            f"/backoffice/v2/activities/?states=PENDING&types={call}&assign_to_team_id={support}&size=20",
            v2,
        ),
        Kind(
            "back-office v2",
            "POST activities",
            1,
            "POST",
            "/backoffice/v2/activities",
            v2_write,
            body(
                {
                    "name": f"Follow-up call {tag}-{WRITE_MARK}",
                    "description": "Call back about the payment plan.",
                    "type_id": str(call),
                    "scheduled_on": {"from_date": now + 86_400, "to_date": now + 90_000},
                    "linked_to": [{"type": "CONTACT", "id": "@1@"}],
                }
            ),
            values=customers(),
            write=True,
        ),
        Kind(
            "CRM.COM communications",
            "GET communications/list",
            2,
            "GET",
            f"/crmapi/rest/v2/communications/list?token={token}&contact_information_identifier=id=@1@"
            "&number_of_results=20",
            crm_read,
            values=pick(contacts, lambda c: c["id"].hex.upper()),
        ),
        Kind(
            "CRM.COM communications",
            "GET communications/show",
            2,
            "GET",
            f"/crmapi/rest/v2/communications/show?token={token}&communication_identifier=number=@1@",
            crm_read,
            values=pick(numbers),
        ),
        Kind(
            "CRM.COM communications",
            "POST communications/create (phone note)",
            1,
            "POST",
            "/crmapi/rest/v2/communications/create",
            crm_write,
            body(
                {
                    "token": token,
                    **crm_contact,
                    "direction": "INCOMING",
                    "media": "PHONE",
                    "subject": f"Call {tag}-{WRITE_MARK}",
                    "content": "Asked about #contact_information.first_name's last bill.",
                }
            ),
            values=pick(contacts, lambda c: c["id"].hex.upper()),
            write=True,
        ),
        Kind(
            "CRM.COM communications",
            "POST communications/create (email, queued)",
            1,
            "POST",
            "/crmapi/rest/v2/communications/create",
            crm_write,
            body(
                {
                    "token": token,
                    **crm_contact,
                    "direction": "OUTGOING",
                    "media": "EMAIL",
                    "to": "@2@",
                    "subject": f"Notice {tag}-{WRITE_MARK}",
                    "content": "Dear #contact_information.first_name, subscription #subscription.number is due.",
                    "referring_to": {"subscription_identifier": {"number": "@3@"}},
                }
            ),
            values=[
                (c["id"].hex.upper(), c["email"], f"S{rng.randrange(10**5):05d}")
                for c in (rng.choice(contacts) for _ in range(POOL))
            ],
            write=True,
        ),
        Kind(
            "letters",
            "GET customers/{id}/correspondence/",
            1,
            "GET",
            "/backend/api/v1/customers/@1@/correspondence/?limit=20",
            bearer,
            values=customers(),
        ),
        Kind(
            "letters",
            "GET correspondence/{id}",
            1,
            "GET",
            "/backend/api/v1/correspondence/@1@",
            bearer,
            values=pick(letters),
        ),
        Kind(
            "letters",
            "POST customers/{id}/correspondence/",
            1,
            "POST",
            "/backend/api/v1/customers/@1@/correspondence/",
            letters_write,
            body(
                {
                    "correspondenceType": "Standard letter",
                    "content": {
                        "subject": f"Payment plan {tag}-{WRITE_MARK}",
                        "body": "Dear customer,\n\nYour payment plan starts next month.",
                    },
                }
            ),
            values=customers(),
            write=True,
        ),
        Kind(
            "Altinn correspondence",
            "GET correspondence/{id}",
            1,
            "GET",
            "/correspondence/api/v1/correspondence/@1@",
            altinn,
            values=pick(altinn_ids),
        ),
        Kind(
            "Altinn correspondence",
            "GET correspondence/{id}/details",
            1,
            "GET",
            "/correspondence/api/v1/correspondence/@1@/details",
            altinn,
            values=pick(altinn_ids),
        ),
        Kind(
            "postal JSON-RPC",
            f"get_letter_status ({REFS_PER_STATUS_QUERY} refs)",
            2,
            "POST",
            "/publicinterface/jsonrpc",
            postal,
            body(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "get_letter_status",
                    "params": {"account": POSTAL_ACCOUNT, "refs": ["@1@"]},
                }
            ).replace('["@1@"]', "[@1@]"),
            values=[
                (", ".join(json.dumps(ref) for ref in rng.sample(refs, REFS_PER_STATUS_QUERY)),) for _ in range(POOL)
            ],
        ),
    ]
    return kinds


# The wrk scenario ------------------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    """`text` as a Lua long string, with enough `=` that nothing inside closes it."""
    level = 0
    while f"]{'=' * level}]" in text + "]":
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_headers(headers: dict) -> str:
    return "{" + ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in headers.items()) + "}"


SCENARIO = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } mixed_load_timespec;
int clock_gettime(int clock, mixed_load_timespec *now);
]]
local clock = ffi.new("mixed_load_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local KINDS = %(kinds)s
local DECK = %(deck)s
local MARK = %(mark)s

function scenario_setup(thread, number)
  thread:set("number", number)
end

-- Per thread, one connection each, so an answer always belongs to the thread's last request. What happened is
-- kept as text ("r<kind> " per request, "a<kind>,<status>,<microseconds> " per answer; the first failed answer
-- of each kind in `failures`): wrk's thread:get() copies strings safely, tables of several values it does not.
events, failures, seen = "", "", {}
pending, started, serial, position = 0, 0, 0, 0
first_at, last_at = 0, 0  -- this thread's first request and last answer: the window the rates are over
verifying = true  -- wrk asks the first thread for one request before the run, to check it; it is not sent

function init(args)
  math.randomseed(number * 7919 + now_us() %% 1000003)
  position = (number * 7) %% #DECK
  verifying = number == 1
end

local function build(k)
  local kind = KINDS[k]
  local values = kind.values[math.random(#kind.values)]
  local function fill(text)
    text = string.gsub(text, "@(%%d)@", function(n) return values[tonumber(n)] end)
    if kind.write then text = string.gsub(text, MARK, number .. "x" .. serial) end
    return text
  end
  serial = serial + 1
  return wrk.format(kind.method, fill(kind.path), kind.headers, kind.body ~= "" and fill(kind.body) or nil)
end

function request()
  if verifying then
    verifying = false
    return build(1)
  end
  position = position %% #DECK + 1
  pending = DECK[position]
  events = events .. "r" .. pending .. " "
  local req = build(pending)
  started = now_us()
  if first_at == 0 then first_at = started end
  return req
end

function scenario_response(status, headers, body)
  if pending == 0 then return end
  last_at = now_us()
  events = events .. "a" .. pending .. "," .. status .. "," .. (last_at - started) .. " "
  if (status < 200 or status > 299) and not seen[pending] then
    seen[pending] = true
    local text = string.gsub(string.sub(body or "", 1, 300), "[\\r\\n]", " ")
    failures = failures .. pending .. " " .. status .. " " .. text .. "\\n"
  end
  pending = 0
end

function scenario_done(threads)
  for _, thread in ipairs(threads) do
    io.write("MIXED_WINDOW " .. thread:get("first_at") .. " " .. thread:get("last_at") .. "\\n")
    io.write("MIXED_EVENTS " .. thread:get("events") .. "\\n")
    for line in string.gmatch(thread:get("failures"), "[^\\n]+") do io.write("MIXED_FAILURE " .. line .. "\\n") end
  end
end
"""


def scenario(kinds: list[Kind]) -> str:
    def values(rows: list[tuple[str, ...]]) -> str:
        return "{" + ", ".join("{" + ", ".join(lua_string(v) for v in row) + "}" for row in rows) + "}"

    entries = [
        f"{{method = {lua_string(kind.method)}, path = {lua_string(kind.path)}, headers = {lua_headers(kind.headers)}, "
        f"body = {lua_string(kind.body)}, write = {'true' if kind.write else 'false'}, values = {values(kind.values)}}}"
        for kind in kinds
    ]
    deck = [number for number, kind in enumerate(kinds, start=1) for _ in range(kind.weight)]
    random.Random(3).shuffle(deck)  # interleaved, so neighbouring threads do not send the same kind together
    return SCENARIO % {
        "kinds": "{\n" + ",\n".join(entries) + "\n}",
        "deck": "{" + ", ".join(map(str, deck)) + "}",
        "mark": lua_string(WRITE_MARK),
    }


@dataclass
class KindResult:
    issued: int = 0
    answered: int = 0  # 2xx
    failed: int = 0  # answered outside 2xx
    lost: int = 0  # sent, never answered: the connection broke (wrk counts it as a socket error)
    in_flight: int = 0  # sent, not yet answered when the time was up
    latencies_us: list[int] = field(default_factory=list)
    failure: str = ""


def kind_results(output: str, count: int) -> tuple[list[KindResult], float]:
    """Per kind of request, from each wrk thread's event log (see SCENARIO); and the seconds from the first
    request to the last answer (wrk's own duration leaves out the time its threads take to start)."""
    results = [KindResult() for _ in range(count)]
    firsts, lasts = [], []
    for line in output.splitlines():
        tag, _, rest = line.partition(" ")
        if tag == "MIXED_WINDOW":
            first, last = (int(float(n)) for n in rest.split())
            if first and last:
                firsts.append(first)
                lasts.append(last)
        if tag == "MIXED_FAILURE":
            k, _, text = rest.partition(" ")
            results[int(k) - 1].failure = results[int(k) - 1].failure or text
        if tag != "MIXED_EVENTS":
            continue
        waiting = 0
        for event in rest.split():
            if event[0] == "r":
                if waiting:
                    results[waiting - 1].lost += 1
                waiting = int(event[1:])
                results[waiting - 1].issued += 1
            else:
                k, status, micros = (int(n) for n in event[1:].split(","))
                result = results[k - 1]
                result.latencies_us.append(micros)
                if 200 <= status <= 299:
                    result.answered += 1
                else:
                    result.failed += 1
                waiting = 0
        if waiting:
            results[waiting - 1].in_flight += 1
    return results, (max(lasts) - min(firsts)) / 1e6 if firsts else 0.0


# Checking what was written -------------------------------------------------------------------------------


def written(tag: str) -> dict[str, int]:
    """Rows the writes of this run left, per write kind."""
    from activities.models import Activity
    from communications.models import Communication
    from correspondence.models import Correspondence

    return {
        "POST activities": Activity.objects.filter(name__contains=f" {tag}-").count(),
        "POST communications/create (phone note)": Communication.objects.filter(
            subject__contains=f" {tag}-", media="PHONE"
        ).count(),
        "POST communications/create (email, queued)": Communication.objects.filter(
            subject__contains=f" {tag}-", media="EMAIL"
        ).count(),
        "POST customers/{id}/correspondence/": Correspondence.objects.filter(
            content__subject__icontains=f" {tag}-"
        ).count(),
    }


def half_written(tag: str) -> list[str]:
    """Records of this run missing a part that is written in the same transaction."""
    from django.db.models import BigIntegerField, Count, Max
    from django.db.models.functions import Cast

    from activities.models import Activity
    from communications.models import Communication, OutboundMessage
    from correspondence.models import Correspondence

    problems = []
    activities = Activity.objects.filter(name__contains=f" {tag}-")
    if n := activities.filter(state_history__isnull=True).count():
        problems.append(f"{n} activities without their PENDING history entry")
    communications = Communication.objects.filter(subject__contains=f" {tag}-")
    if n := communications.exclude(state="COMPLETED").count():
        problems.append(f"{n} communications not COMPLETED")
    if n := communications.filter(number__isnull=True).count():
        problems.append(f"{n} communications without a number")
    emails = {str(pk) for pk in communications.filter(media="EMAIL").values_list("pk", flat=True)}
    messages = (
        OutboundMessage.objects.filter(source_type="communications.communication", source_id__in=emails)
        .values("source_id")
        .annotate(n=Count("pk"))
    )
    per_email = {row["source_id"]: row["n"] for row in messages}
    if n := sum(1 for pk in emails if per_email.get(pk) != 1):
        problems.append(f"{n} email communications without exactly one outbound message")
    letters = Correspondence.objects.filter(content__subject__icontains=f" {tag}-")
    if n := letters.filter(number="").count():
        problems.append(f"{n} letters without a number")
    # Every number here was assigned by the system, so each customer's letters are numbered 1..N without a gap.
    numbered = (
        Correspondence.objects.filter(customer__in=letters.values("customer"))
        .values("customer")
        .annotate(n=Count("pk"), highest=Max(Cast("number", BigIntegerField())))
    )
    if gaps := sum(1 for row in numbered if row["n"] != row["highest"]):
        problems.append(f"{gaps} customers whose letter numbers have a gap or a repeat")
    return problems


def drop_wake_ups() -> None:
    """No worker runs during the load: drop the tasks the writes queued (the rows stay, for the sweeps)."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*settings.CELERY_QUEUE_NAMES)


class ServerWatch:
    """During the load: the most database connections the server held, and the CPU time its gunicorn processes
    and their PostgreSQL backends used (sampled twice a second from pg_stat_activity and /proc)."""

    def __init__(self, database_url: str, base_url: str):
        self.database_url = database_url
        port = base_url.rsplit(":", 1)[1]
        self.web_pids = [
            int(entry.name)
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit()
            and f"127.0.0.1:{port}" in self._cmdline(entry)
            and "gunicorn" in self._cmdline(entry)
        ]
        self.peak = 0
        self.window = (0.0, 0.0)
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    @staticmethod
    def _cmdline(entry: Path) -> str:
        try:
            return (entry / "cmdline").read_text().replace("\0", " ")
        except OSError:
            return ""

    def sample(self, backends: list[int]) -> None:
        for kind, pids in (("web", self.web_pids), ("database", backends)):
            for pid, used in harness.cpu_seconds(pids).items():
                self.first.setdefault((kind, pid), used)
                self.last[(kind, pid)] = used

    def watch(self):
        import psycopg

        name = self.database_url.rsplit("/", 1)[1]
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while True:
                backends = [pid for (pid,) in conn.execute(query, [name]).fetchall()]
                self.peak = max(self.peak, len(backends))
                self.sample(backends)
                self.window = (self.window[0] or time.monotonic(), time.monotonic())
                if self.stop.wait(0.5):
                    break

    def cpu(self, kind: str) -> float:
        return sum(self.last[key] - self.first[key] for key in self.last if key[0] == kind)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


# The run ---------------------------------------------------------------------------------------------------


SERVER_ENV = {
    "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "corr-bench-media"),
    # Pollers here ask the same refs many times an hour, which the allowance (3) rightly refuses with 429.
    "POSTAL_POLL_ALLOWANCE": 1_000_000_000,
}


def prepare() -> tuple[dict[str, str], list[str]]:
    """The bench database with the load's data; this run's API keys and the Altinn sender's correspondence ids."""
    from django.core.management import call_command

    harness.ensure_database(os.environ.get("BENCH_DATABASE_URL", harness.DEFAULT_DATABASE_URL))
    harness.setup_django(ready_timeout=180, **SERVER_ENV)
    call_command("seed_demo", stdout=io.StringIO())
    load_customers()
    load_postal_letters()
    keys = api_keys()
    altinn_ids = altinn_dispatch(keys["altinn"])
    return keys, altinn_ids


def close_database_connections() -> None:
    """Only the server's connections count in ServerWatch."""
    from django.db import connections

    connections.close_all()


@dataclass
class Measured:
    kinds: list[Kind]
    results: list[KindResult]
    window: float  # seconds from the first request to the last answer
    load: harness.Load
    watch: ServerWatch
    problems: list[str]

    @property
    def answers(self) -> int:
        return sum(r.answered + r.failed for r in self.results)

    @property
    def rps(self) -> float:
        return self.answers / self.window

    @property
    def latencies_us(self) -> list[int]:
        return [us for r in self.results for us in r.latencies_us]

    def cpu_line(self) -> str:
        web, database = self.watch.cpu("web"), self.watch.cpu("database")
        watched = self.watch.window[1] - self.watch.window[0]
        return (
            f"CPU per request: gunicorn {web * 1000 / self.answers:.1f} ms, PostgreSQL "
            f"{database * 1000 / self.answers:.1f} ms; together {(web + database) / watched:.2f} of the "
            f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f}); at most {self.watch.peak} "
            "database connections"
        )


def measure(url: str, kinds: list[Kind], tag: str, seconds: int, connections: int) -> Measured:
    """One load of `kinds` on the server at `url`, then its writes checked in the database."""
    database_url = os.environ.get("BENCH_DATABASE_URL", harness.DEFAULT_DATABASE_URL)
    with ServerWatch(database_url, url) as watch:
        load = harness.wrk(url, scenario(kinds), connections=connections, seconds=seconds, threads=connections)
    # Requests wrk left in flight are still being served; what follows starts once they are done.
    harness.wait_for(f"{url}/healthz", timeout=120)
    results, window = kind_results(load.output, len(kinds))
    problems = half_written(tag)
    landed = written(tag)
    for kind, result in zip(kinds, results, strict=True):
        if kind.write:
            rows = landed[kind.name]
            # Acknowledged writes must all be there; beyond them only requests cut off in flight at the end.
            if not result.answered <= rows <= result.answered + result.in_flight + result.lost:
                problems.append(f"{kind.name}: {rows} rows for {result.answered} acknowledged writes")
    return Measured(kinds, results, window, load, watch, problems)


def run(
    seconds: int = 60,
    connections: int = 200,
    worker_class: str = WORKER_CLASS,
    workers: int = WORKERS,
    threads: int = THREADS,
) -> list[harness.Row]:
    keys, altinn_ids = prepare()
    stamp = int(time.time())
    tag, warm_tag = f"L{stamp}", f"W{stamp}"
    kinds, warm_kinds = mix(keys, altinn_ids, tag), mix(keys, altinn_ids, warm_tag)
    close_database_connections()

    print(f"server: gunicorn {worker_class}, {workers} workers x {threads} threads; {connections} connections")
    with harness.gunicorn(
        workers=workers, threads=threads, worker_class=worker_class, ready_timeout=180, **SERVER_ENV
    ) as url:
        warm = harness.wrk(url, scenario(warm_kinds), connections=20, seconds=3, threads=20)
        measured = measure(url, kinds, tag, seconds, connections)
        peer = harness.wrk(url + "/healthz", connections=connections, seconds=max(10, seconds // 4), threads=8)
    drop_wake_ups()
    problems = half_written(warm_tag) + measured.problems

    print(
        f"\n{measured.answers} answers in {measured.window:.1f} s (wrk's run: {measured.load.seconds:.1f} s), "
        f"{measured.rps:.0f} req/s"
    )
    print(measured.cpu_line())
    print(f"{'family':24} {'request':44} {'answered':>8} {'failed':>6} {'lost':>5} {'p50 ms':>7} {'p99 ms':>7}")
    for kind, result in zip(measured.kinds, measured.results, strict=True):
        p50, p99 = percentiles(result.latencies_us)
        counts = f"{result.answered:8} {result.failed:6} {result.lost:5}"
        print(f"{kind.family:24} {kind.name:44} {counts} {p50:7.1f} {p99:7.1f}")
        if result.failure:
            print(f"    first failure: {result.failure}")
    print("writes landed: " + ", ".join(f"{name} {count}" for name, count in written(tag).items()))
    print(f"warm-up: {warm.requests} requests, {warm.errors} errors; peer GET /healthz {peer.rps:.0f} req/s")
    for problem in problems:
        print(f"PROBLEM: {problem}")

    rows = []
    for family in dict.fromkeys(kind.family for kind in measured.kinds):
        mine = [r for kind, r in zip(measured.kinds, measured.results, strict=True) if kind.family == family]
        count = sum(r.answered + r.failed for r in mine)
        p50, p99 = percentiles([us for r in mine for us in r.latencies_us])
        errors = sum(r.failed + r.lost for r in mine)
        failure = next((r.failure for r in mine if r.failure), "")
        rows.append(
            harness.Row(
                f"mixed load: {family}",
                f"{count} requests, {count / measured.window:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
                f"{errors} errors",
                "0 errors",
                "",
                "",
                harness.verdict(errors == 0) + (f": {failure[:160]}" if failure else ""),
            )
        )
    # wrk's count also holds socket errors that belong to no request (a refused connect).
    errors = measured.load.errors + warm.errors
    p50, p99 = percentiles(measured.latencies_us)
    first_failure = next((r.failure for r in measured.results if r.failure), "") or measured.load.sample or warm.sample
    why = (first_failure or f"{errors} socket errors")[:160] if errors else "; ".join(problems)[:160]
    rows.append(
        harness.Row(
            f"mixed load, {connections} clients x {seconds} s, all five families",
            f"{measured.answers} requests, {measured.rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"{errors} errors",
            "0 errors, p50/p99 reported",
            f"GET /healthz, {connections} connections: {peer.rps:.0f} req/s, p99 {peer.p99_ms:.1f} ms",
            f"{measured.rps / peer.rps:.2f}x" if peer.requests else "",
            harness.verdict(errors == 0 and not problems) + (f": {why}" if why else ""),
        )
    )
    return rows


def compare(servers: list[tuple[str, int, int]], seconds: int, connections: int, rounds: int) -> None:
    """Several server configurations side by side, loaded in turns of `seconds` so each meets the same neighbours
    on the machine; totals per configuration and the ratio to the first. One server runs at a time: idle servers
    would keep their database connections, and together exhaust PostgreSQL's."""
    keys, altinn_ids = prepare()
    stamp = int(time.time())
    runs: dict[tuple[str, int, int], list[Measured]] = {server: [] for server in servers}
    for turn in range(rounds):
        for number, server in enumerate(servers):
            worker_class, workers, threads = server
            tag = f"C{stamp}x{turn}x{number}"
            kinds, warm = mix(keys, altinn_ids, tag), mix(keys, altinn_ids, f"W{stamp}")
            close_database_connections()
            with harness.gunicorn(workers, threads, worker_class, ready_timeout=180, **SERVER_ENV) as url:
                harness.wrk(url, scenario(warm), connections=20, seconds=3, threads=20)
                runs[server].append(measure(url, kinds, tag, seconds, connections))
            print(f"round {turn + 1}, {worker_class} {workers}x{threads}: {runs[server][-1].rps:.0f} req/s", flush=True)
    drop_wake_ups()

    print(f"\n{connections} clients, {rounds} turns of {seconds} s per server, in alternation")
    print(f"{'server':24} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'ms CPU/request':>16} {'ratio':>6}")
    first = None
    for (worker_class, workers, threads), measured in runs.items():
        answers = sum(m.answers for m in measured)
        rps = answers / sum(m.window for m in measured)
        p50, p99 = percentiles([us for m in measured for us in m.latencies_us])
        errors = sum(m.load.errors for m in measured) + sum(len(m.problems) for m in measured)
        cpu = sum(m.watch.cpu("web") + m.watch.cpu("database") for m in measured) * 1000 / answers
        first = first or rps
        name = f"{worker_class} {workers}x{threads}"
        print(f"{name:24} {rps:7.0f} {p50:8.0f} {p99:8.0f} {errors:6} {cpu:16.1f} {rps / first:5.2f}x")


def percentiles(latencies_us: list[int]) -> tuple[float, float]:
    if not latencies_us:
        return 0.0, 0.0
    seconds = [us / 1e6 for us in latencies_us]
    return harness.percentile_ms(seconds, 50), harness.percentile_ms(seconds, 99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="How long the load lasts (60).")
    parser.add_argument("--connections", type=int, default=200, help="Concurrent client connections (200).")
    parser.add_argument("--worker-class", default=WORKER_CLASS, help=f"gunicorn worker class ({WORKER_CLASS}).")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers ({WORKERS}).")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"Threads per gunicorn worker ({THREADS}).")
    parser.add_argument(
        "--compare",
        default="",
        help="Servers to compare instead, e.g. sync:4:1,gthread:4:8 (class:workers:threads), loaded in turns.",
    )
    parser.add_argument("--rounds", type=int, default=3, help="Turns per server with --compare (3).")
    args = parser.parse_args()
    if args.compare:
        servers = [
            (name, int(workers), int(threads))
            for name, workers, threads in (item.split(":") for item in args.compare.split(","))
        ]
        compare(servers, args.seconds, args.connections, args.rounds)
        return
    harness.print_table(run(args.seconds, args.connections, args.worker_class, args.workers, args.threads))


if __name__ == "__main__":
    main()
