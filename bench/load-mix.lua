-- wrk script of bench/load.sh: sends the requests of a mix file at random (by weight: a request appears as many times
-- as its weight), paced to a total rate when one is given, and prints one JSON line of figures at the end.
-- Arguments after `--`: MIX_FILE RATE (requests per second over all threads; 0 = as fast as it goes) THREADS
-- A mix line: KIND <tab> METHOD <tab> PATH <tab> TOKEN <tab> BODY. Two kinds chain: `raise` posts a whistle call
-- (answered 201 with its id), `accept` has the addressed department accept one of the calls this thread raised (a
-- raise when none waits), so that every response is a first response and every write is valid.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } yiye_timeval;
  int gettimeofday(yiye_timeval *tv, void *tz);
]]
local tv = ffi.new("yiye_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local mix = {}
local raise_line, accept_line
local interval = 0
local next_slot
local waiting = {} -- ids of calls raised by this thread, not yet accepted
-- Globals, so that done() can read them from each thread (thread:get).
sent = {}     -- requests sent by kind
statuses = {} -- answers by status

function init(args)
  for line in io.lines(args[1]) do
    local kind, method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    if kind then
      local entry = { kind = kind, method = method, path = path, token = token, body = body }
      table.insert(mix, entry)
      if kind == "raise" then raise_line = entry end
      if kind == "accept" then accept_line = entry end
    end
  end
  local rate, count = tonumber(args[2]), tonumber(args[3])
  if rate > 0 then interval = 1000 * count / rate end
  math.randomseed(os.time() * 1000 + id)
end

function delay()
  if interval == 0 then return 0 end
  local now = now_ms()
  if next_slot == nil then next_slot = now end
  local slot = next_slot
  next_slot = next_slot + interval
  return math.max(0, slot - now)
end

local function format(entry, path)
  local headers = {}
  if entry.token ~= "" then headers["Authorization"] = "Bearer " .. entry.token end
  if entry.body ~= "" then headers["Content-Type"] = "application/json" end
  return wrk.format(entry.method, path or entry.path, headers, entry.body ~= "" and entry.body or nil)
end

function request()
  local entry = mix[math.random(#mix)]
  if entry.kind == "accept" then
    local call = table.remove(waiting, 1)
    if call then
      sent.accept = (sent.accept or 0) + 1
      return format(entry, entry.path:gsub("{id}", call))
    end
    entry = raise_line
  end
  sent[entry.kind] = (sent[entry.kind] or 0) + 1
  return format(entry)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 and body then
    -- The API pretty-prints with sorted keys: the call's own id is the key indented by two spaces.
    local call = body:match('\n  "id" : (%d+)')
    if call then table.insert(waiting, call) end
  end
end

function done(summary, latency, requests)
  local kinds, codes = {}, {}
  for _, thread in ipairs(threads) do
    for kind, n in pairs(thread:get("sent")) do kinds[kind] = (kinds[kind] or 0) + n end
    for code, n in pairs(thread:get("statuses")) do codes[tostring(code)] = (codes[tostring(code)] or 0) + n end
  end
  local function object(t)
    local parts = {}
    for k, v in pairs(t) do table.insert(parts, string.format('"%s": %d', k, v)) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  local errors = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "http_errors": %d, ' ..
    '"sent": %s, "statuses": %s}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors.connect, errors.read, errors.write, errors.timeout,
    errors.status, object(kinds), object(codes)))
end
