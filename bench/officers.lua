-- wrk script for bench/pages.py: each connection is one officer asking for the paths in turn (PATHS_FILE, one per
-- line), with the officer's credentials (HEADER_NAME/HEADER_VALUE); prints one JSON line with the latencies.
local paths = {}
local header_name = os.getenv("HEADER_NAME")
local header_value = os.getenv("HEADER_VALUE")
for line in io.lines(os.getenv("PATHS_FILE")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end

function init(args)
  i = offset or 0
  if header_name and #header_name > 0 then wrk.headers[header_name] = header_value end
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "non_2xx": %d, ' ..
    '"socket_errors": %d, "duration_s": %.3f}\n',
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.duration / 1e6))
end
