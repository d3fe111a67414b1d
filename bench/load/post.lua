-- wrk script: POST the body file at a fixed total rate. wrk has no rate option (wrk2 is not in Debian), so
-- each wrk thread (one Lua state each) keeps a schedule of one request every `threads / rate` seconds on a
-- monotonic clock (LuaJIT FFI), and delay() holds each of its connections' next request until the next free
-- slot. A slow answer shortens the following wait instead of shifting the schedule, so the offered rate stays
-- at RATE while the server keeps up (it needs more connections than rate x latency).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } nmscds_timespec;
  int clock_gettime(int clk_id, nmscds_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("nmscds_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("RATE") or "1000")
local threads = tonumber(os.getenv("WRK_THREADS") or "1")
local interval_ms = threads * 1000 / rate
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

-- With TOKENS_FILE (one signed token per line, bench/load/tokens.py), every request carries its own bearer
-- token: thread k of n takes lines k, k+n, k+2n ... (a token is accepted once: §8.3 replay cache).
local tokens_file = os.getenv("TOKENS_FILE")
local thread_count = 0
function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end
local tokens, next_token = nil, 1
function init(args)
  if not tokens_file then return end
  tokens = {}
  local stride = tonumber(os.getenv("WRK_THREADS") or "1")
  local line_number = 0
  for line in io.lines(tokens_file) do
    if line_number % stride == thread_index then tokens[#tokens + 1] = line end
    line_number = line_number + 1
  end
end
if tokens_file then
  function request()
    local token = tokens[next_token]
    assert(token, "TOKENS_FILE has too few tokens for this run")
    next_token = next_token + 1
    return wrk.format(nil, nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token})
  end
end

local next_slot = nil
function delay()
  local now = now_ms()
  if next_slot == nil then
    next_slot = now + math.random() * interval_ms  -- the threads start out of step
  else
    next_slot = next_slot + interval_ms
  end
  if next_slot < now - interval_ms then next_slot = now end  -- fell behind: do not burst to catch up
  return math.max(0, math.floor(next_slot - now))
end
