-- wrk script: POST a new, unique order per request.
-- Each wrk thread gets its own prefix so order numbers never collide.
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("thread_id", tostring(math.random(1, 1e9)))
end

function init(args)
  prefix = "BENCH-" .. os.time() .. "-" .. thread_id .. "-"
end

function request()
  counter = counter + 1
  local body = '{"order_number":"' .. prefix .. counter .. '",' ..
    '"guest":{"email":"shopper' .. counter .. '@example.com","name":"Bench Shopper"},' ..
    '"locale":"es",' ..
    '"shipping_address":{"name":"Bench Shopper","line1":"1 Bench Street","city":"Madrid",' ..
    '"postal_code":"28013","country":"ES"}}'
  return wrk.format("POST", nil, nil, body)
end

dofile("bench/wrk_report.lua")
