-- GET of PATH_FORMAT (e.g. "/api/v1/orders/%s/timeline") for an id picked at
-- random per request from the file given after `--` (one id per line).
-- Prints the latency percentiles and every kind of error (non-2xx included).
local ids = {}
local path_format = os.getenv("PATH_FORMAT")

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() * 100 + thread_id_seed())
end

function thread_id_seed()
  local seed = 0
  for c in tostring({}):gmatch("%x") do seed = (seed * 16 + tonumber(c, 16)) % 1000003 end
  return seed
end

function request()
  return wrk.format("GET", string.format(path_format, ids[math.random(#ids)]))
end

dofile("bench/wrk_report.lua")
