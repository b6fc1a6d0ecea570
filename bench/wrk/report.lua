-- Appended to every wrk scenario by harness.wrk(): counts answers outside 2xx per thread and prints one
-- machine-readable summary line, so a benchmark fails loudly instead of timing error pages.
-- A scenario that needs its own bookkeeping defines scenario_setup(thread), scenario_response(status,
-- headers, body) and scenario_done(threads); they are called from the functions below.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  if scenario_setup then scenario_setup(thread, #threads) end
end

failed = 0
sample = ""

function response(status, headers, body)
  if status < 200 or status > 299 then
    failed = failed + 1
    if sample == "" then
      sample = status .. " " .. string.sub(body or "", 1, 300):gsub("[\r\n]", " ")
    end
  end
  if scenario_response then scenario_response(status, headers, body) end
end

function done(summary, latency, requests)
  local failures, first = 0, ""
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
    local one = thread:get("sample")
    if first == "" and one ~= "" then first = one end
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_SUMMARY %d %d %d %d %d %d %d %d %d %d %d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    failures, e.connect, e.read, e.write, e.status, e.timeout))
  if first ~= "" then io.write("WRK_SAMPLE " .. first .. "\n") end
  if scenario_done then scenario_done(threads) end
end
