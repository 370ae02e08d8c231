#!/usr/bin/env bash
# The rankings and insights APIs and the dashboard pages over 10 million records: fills the
# rollups with ledger_bench (reports.db: the usage rollups of 10M records over 90 days and the
# insights rollups of 10M over two years, ~2.5 min), serves them with the gateway (no providers
# needed), times each API call over HTTP with curl (21 runs each), then the pages' first render
# in headless Chromium.
# Usage: bench/dashboard/run.sh [BUILD_DIR]   (builds nothing; run scripts/build.sh first)
#   REPORTS_DB=DIR/reports.db bench/dashboard/run.sh   serves a ledger a previous
#   `ledger_bench --dir DIR --skip-write` filled instead of filling one (it is written to: WAL).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$root" && cd "${1:-build}" && pwd)"
work="$(mktemp -d /tmp/gw-dashboard-bench.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

db="${REPORTS_DB:-$work/reports.db}"
[ -n "${REPORTS_DB:-}" ] || "$build/bench/ledger/ledger_bench" --dir "$work" --skip-write >/dev/null
port=18089
cat >"$work/gateway.yaml" <<YAML
server: { listen: "127.0.0.1:$port", access_log: false }
accounting: { database: $db, retention_days: 0 }
providers:
  - { name: idle, base_url: http://127.0.0.1:9/v1 }
models:
  - id: bench/model
    context_length: 8192
    endpoints: [{ provider: idle, model: m, pricing: { prompt: 1, completion: 1 } }]
YAML
"$build/gateway/gateway" serve --config "$work/gateway.yaml" >"$work/gateway.log" 2>&1 &
pid=$!
for attempt in $(seq 200); do
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  if [ "$attempt" = 200 ]; then
    echo "the gateway did not start:" >&2
    cat "$work/gateway.log" >&2
    exit 1
  fi
  sleep 0.05
done

# Prints one table row per target: the median and the slowest of 21 calls.
time_calls() {
  local target times
  for target in "$@"; do
    times=()
    for _ in $(seq 21); do
      times+=("$(curl -fs -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port$target")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v t="$target" '
      { v[NR] = $1 * 1000 } END { printf "| `%s` | %.2f | %.2f |\n", t, v[int((NR + 1) / 2)], v[NR] }'
  done
}

echo "| API call (10M records) | median ms | max ms |"
echo "| --- | ---: | ---: |"
time_calls \
  "/v1/rankings?by=model&period=week" "/v1/rankings?by=author&period=month" \
  "/v1/rankings?by=app&period=day" "/v1/rankings?by=provider&period=week" \
  "/v1/rankings?by=user&period=month&order=trending" "/v1/rankings?by=key&period=week" \
  "/v1/rankings/timeseries?by=model&period=week&buckets=12&top=10" \
  "/v1/activity"
echo

# Retention of the model with the most tokens over the last 12 weeks (price-usage's first row).
model="$(curl -fs "http://127.0.0.1:$port/v1/insights/price-usage?format=csv" | sed -n '2s/,.*//p')"
echo "| insights API call (10M records over 104 weeks) | median ms | max ms |"
echo "| --- | ---: | ---: |"
for weeks in 12 104; do
  time_calls "/v1/insights?weeks=$weeks" \
    $(for analysis in tokens model-classes model-sizes categories languages lengths \
      reasoning-and-tools price-usage; do echo "/v1/insights/$analysis?weeks=$weeks"; done) \
    $(for by in user key app; do echo "/v1/insights/retention?model=$model&by=$by&weeks=$weeks"; done)
done
time_calls "/v1/insights/lengths?weeks=104&format=csv" \
  "/v1/insights/retention?model=$model&by=user&weeks=104&format=csv"
echo
(cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$root/bench/dashboard/page_load.mjs" "http://127.0.0.1:$port" 10
