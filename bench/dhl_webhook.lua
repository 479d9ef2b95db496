-- wrk script: POST a DHL push with a unique event per request (identical
-- bodies would be deduplicated), authenticated by the DHL-API-Key header.
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("thread_id", tostring(math.random(1, 1e6)))
end

function init(args)
  prefix = thread_id
end

function request()
  counter = counter + 1
  local minute = counter % 60
  local second = math.floor(counter / 60) % 60
  local hour = math.floor(counter / 3600) % 24
  local ts = string.format("2026-09-24T%02d:%02d:%02dZ", hour, minute, second)
  local number = os.getenv("BENCH_DHL_NUMBER") or "1234567890"
  local body = '{"shipments":[{"id":"' .. number .. '","service":"express",' ..
    '"status":{"timestamp":"' .. ts .. '","statusCode":"transit","status":"PROCESSED ' .. prefix .. '-' .. counter .. '",' ..
    '"description":"Processed","location":{"address":{"addressLocality":"Leipzig - Germany","countryCode":"DE"}}},' ..
    '"events":[{"timestamp":"' .. ts .. '","statusCode":"transit","status":"PROCESSED ' .. prefix .. '-' .. counter .. '",' ..
    '"description":"Processed","location":{"address":{"addressLocality":"Leipzig - Germany","countryCode":"DE"}}}]}]}'
  return wrk.format("POST", nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f requests=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests))
end
