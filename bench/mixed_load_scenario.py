"""The mixed load's wrk scenario and what it printed: each kind of request, built from its template in Lua, timed and
logged per wrk thread (one connection each), then read back per kind (bench/mixed_load.py runs it).
"""

import random
from dataclasses import dataclass, field

import harness

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


def percentiles(latencies_us: list[int]) -> tuple[float, float]:
    if not latencies_us:
        return 0.0, 0.0
    seconds = [us / 1e6 for us in latencies_us]
    return harness.percentile_ms(seconds, 50), harness.percentile_ms(seconds, 99)
