-- The summary line every bench/*.lua prints and the bench scripts parse:
-- latency percentiles and every kind of error (non-2xx included).
-- Loaded with dofile() from the repository root, where the benches run.
function done(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
