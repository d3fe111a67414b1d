-- wrk script: POST the body file at a fixed total rate. Each connection waits `connections / rate` seconds
-- between its requests, so the whole run offers `rate` requests per second (wrk has no rate option).
local rate = tonumber(os.getenv("RATE") or "1000")
local connections = tonumber(os.getenv("CONNECTIONS") or "10")
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
function delay()
  return math.floor(connections * 1000 / rate)
end
