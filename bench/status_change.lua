-- POST /api/v1/orders/{id}/status {"status": "shipped"} once for every id in
-- the file given after `--` (one per line), split between wrk's threads; once
-- a thread has no id left its connections stop.
local ids, next_index, step = {}, 0, 0
local threads = 0

function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  step = tonumber(args[2])
  next_index = first + 1
end

function request()
  local id = ids[next_index]
  if id == nil then
    -- Out of ids: a cheap request this thread's stop() will cut short.
    return wrk.format("GET", "/healthz")
  end
  next_index = next_index + step
  return wrk.format("POST", "/api/v1/orders/" .. id .. "/status", nil, '{"status":"shipped","note":"bench"}')
end

function response(status, headers, body)
  if next_index > #ids then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
