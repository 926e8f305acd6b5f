-- wrk script for bench/soak.sh: every connection cycles through the paths in the file named by
-- SOAK_PATHS_FILE (one path a line), each thread starting at a different place in the list, and
-- counts answers by status class. done() prints machine-readable "SOAK key value" lines.
-- Requests carry Accept-Encoding like a browser's (SOAK_ACCEPT_ENCODING; empty: none).

local paths = {}
local threads = {}
local thread_count = 0

local function load_paths()
   local name = os.getenv("SOAK_PATHS_FILE")
   if not name then error("SOAK_PATHS_FILE is not set") end
   local f = assert(io.open(name, "r"))
   for line in f:lines() do
      if line:match("^/") then paths[#paths + 1] = line end
   end
   f:close()
   if #paths == 0 then error("no paths in " .. name) end
end

-- Main state: one call per thread before it starts.
function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   threads[#threads + 1] = thread
end

-- Thread state from here on (each thread has its own globals).
local headers = {}
local pos = 1
n2xx, n3xx, n4xx, n5xx, nother = 0, 0, 0, 0, 0

function init(args)
   load_paths()
   local enc = os.getenv("SOAK_ACCEPT_ENCODING")
   if enc == nil then enc = "gzip, br" end
   if enc ~= "" then headers["Accept-Encoding"] = enc end
   -- Spread the threads over the list so they do not walk it in step.
   local id = thread_id or 1
   pos = ((id - 1) * math.floor(#paths / 2 + 0.5)) % #paths + 1
end

function request()
   local path = paths[pos]
   pos = pos % #paths + 1
   return wrk.format("GET", path, headers)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then n2xx = n2xx + 1
   elseif status >= 300 and status < 400 then n3xx = n3xx + 1
   elseif status >= 400 and status < 500 then n4xx = n4xx + 1
   elseif status >= 500 and status < 600 then n5xx = n5xx + 1
   else nother = nother + 1 end
end

-- Main state again, after the run.
function done(summary, latency, requests)
   local c = {n2xx = 0, n3xx = 0, n4xx = 0, n5xx = 0, nother = 0}
   for _, t in ipairs(threads) do
      for k in pairs(c) do c[k] = c[k] + (t:get(k) or 0) end
   end
   local e = summary.errors
   local secs = summary.duration / 1e6
   local out = {
      {"requests", summary.requests},
      {"duration_s", string.format("%.2f", secs)},
      {"rps", string.format("%.1f", summary.requests / secs)},
      {"bytes", summary.bytes},
      {"status_2xx", c.n2xx}, {"status_3xx", c.n3xx},
      {"status_4xx", c.n4xx}, {"status_5xx", c.n5xx}, {"status_other", c.nother},
      {"err_connect", e.connect}, {"err_read", e.read}, {"err_write", e.write},
      {"err_timeout", e.timeout}, {"err_status", e.status},
      {"lat_mean_ms", string.format("%.2f", latency.mean / 1000)},
      {"lat_max_ms", string.format("%.2f", latency.max / 1000)},
   }
   for _, p in ipairs({50, 90, 99, 99.9}) do
      out[#out + 1] = {"p" .. p .. "_ms", string.format("%.2f", latency:percentile(p) / 1000)}
   end
   for _, kv in ipairs(out) do io.write("SOAK ", kv[1], " ", tostring(kv[2]), "\n") end
end
