-- POST /api/v1/orders/{id}/status {"status": "shipped"} once for every id in
-- the file given after `--` (one per line), split between wrk's threads; a
-- thread stops once all of its changes are answered (wrk itself runs until
-- its duration or SIGINT: bench/run interrupts it).
local ids, next_index, step = {}, 0, 0
local threads = 0
local assigned, answered = 0, 0

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
  assigned = math.floor((#ids - first + step - 1) / step)
  -- wrk calls the first thread's request() once to check it, unsent.
  if first == 0 then
    next_index = next_index - step
  end
end

function request()
  local id = ids[next_index]
  next_index = next_index + step
  if id == nil then
    -- Out of ids (or wrk's check): a cheap request this thread's stop() cuts short.
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("POST", "/api/v1/orders/" .. id .. "/status", nil, '{"status":"shipped","note":"bench"}')
end

function response(status, headers, body)
  if body ~= "ok" then
    answered = answered + 1
  end
  if answered >= assigned then
    wrk.thread:stop()
  end
end

dofile("bench/wrk_report.lua")
