-- wrk script used by bench/run: POSTs the JSON body read from the file named by the environment
-- variable GW_BENCH_BODY (with the extra headers of GW_BENCH_HEADERS, "Name: value" pairs
-- separated by "|"), and prints one machine-readable line when done:
--   WRKJSON {"requests":N,"rps":X,"p50_us":N,...}
-- Latencies are wrk's (microseconds, from its histogram); "errors" adds connect, read, write and
-- timeout errors; "non2xx" counts responses with a status outside 200-399.
local path = assert(os.getenv("GW_BENCH_BODY"), "set GW_BENCH_BODY to the body file")
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
for name, value in string.gmatch(os.getenv("GW_BENCH_HEADERS") or "", "([^:|]+):%s*([^|]*)") do
  wrk.headers[name] = value
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
      'WRKJSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_us":%d,"p90_us":%d,' ..
      '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"errors":%d,"non2xx":%d,"bytes":%d}\n',
      summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
      latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
      e.connect + e.read + e.write + e.timeout, e.status, summary.bytes))
end
