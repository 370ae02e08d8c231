#!/usr/bin/env bash
# bench/dialects/run.sh [BUILD_DIR]: what each dialect path costs, side by side in one run.
# One gateway-sim speaks both APIs (the upstream), one gateway (workers: 1, pinned to CPU 0,
# accounting on) serves four paths of a small request, interleaved, each against the simulator
# directly as its baseline (pinned to CPU 1 with wrk):
#   chat -> openai            the chat path (passthrough, the numbers of bench/README.md)
#   messages -> anthropic     Messages passthrough (Claude Code to an Anthropic endpoint)
#   messages -> openai        Messages translated to chat and back
#   chat -> anthropic         chat translated to Messages and back
# Rows: requests/s at c=1 and c=64, added p50 latency at c=1 (gateway - direct), and the
# gateway's CPU seconds per 10k requests at c=64 (utime + stime from /proc). Prints a Markdown
# table. Needs wrk (scripts/install-deps.sh installs it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "$here/../.." && cd "${1:-build}" && pwd)"
duration=${GW_BENCH_DURATION_S:-3}
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

sim_port=19311
gw_port=19312
taskset -c 1 "$build/gateway/simulator/gateway-sim" --listen 127.0.0.1:$sim_port --workers 1 \
  > "$work/sim.log" 2>&1 &
pids+=($!)
cat > "$work/gw.yaml" <<YAML
server: { listen: "127.0.0.1:$gw_port", workers: 1, access_log: false }
accounting: { data_dir: "$work/data" }
providers:
  - { name: sim-openai, base_url: "http://127.0.0.1:$sim_port/v1" }
  - { name: sim-anthropic, api: anthropic, base_url: "http://127.0.0.1:$sim_port" }
models:
  - id: bench/openai
    context_length: 32768
    endpoints: [{ provider: sim-openai, model: sim-model, pricing: { prompt: 1, completion: 2 } }]
  - id: bench/anthropic
    context_length: 32768
    endpoints: [{ provider: sim-anthropic, model: claude-sim, pricing: { prompt: 3, completion: 15 } }]
YAML
taskset -c 0 "$build/gateway/gateway" serve --config "$work/gw.yaml" > "$work/gw.log" 2>&1 &
gw_pid=$!
pids+=($gw_pid)
for port in $sim_port $gw_port; do
  for attempt in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    [[ $attempt == 200 ]] && { echo "port $port did not open" >&2; exit 1; }
    sleep 0.05
  done
done

chat_body='{"model":"MODEL","max_tokens":16,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write a haiku about the sea, please."}]}'
messages_body='{"model":"MODEL","max_tokens":16,"system":"You are a helpful assistant.","messages":[{"role":"user","content":"Write a haiku about the sea, please."}]}'
body() { local file="$work/$1.json"; printf '%s' "${2//MODEL/$3}" > "$file"; echo "$file"; }

# wrk_json URL BODY_FILE CONNECTIONS -> the WRKJSON line's JSON
wrk_json() {
  GW_BENCH_BODY=$2 GW_BENCH_HEADERS="anthropic-version: 2023-06-01" taskset -c 1 \
    wrk -t1 -c"$3" -d"${duration}s" --latency -s "$here/../wrk_post.lua" "$1" 2>/dev/null |
    sed -n 's/^WRKJSON //p'
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['$2'])" "$1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$gw_pid/stat"; }

echo "| path | direct c=1 req/s | gateway c=1 req/s | added p50 c=1 (µs) | gateway c=64 req/s | gateway CPU s / 10k req (c=64) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
run_path() {  # NAME ROUTE BODY_TEMPLATE MODEL DIRECT_ROUTE DIRECT_BODY DIRECT_MODEL
  local name=$1
  local gw_file direct_file direct gw_one gw_many ticks_before ticks_after hz
  gw_file=$(body "gw-$name" "$3" "$4")
  direct_file=$(body "direct-$name" "$6" "$7")
  wrk_json "http://127.0.0.1:$gw_port$2" "$gw_file" 1 > /dev/null  # warm-up
  direct=$(wrk_json "http://127.0.0.1:$sim_port$5" "$direct_file" 1)
  gw_one=$(wrk_json "http://127.0.0.1:$gw_port$2" "$gw_file" 1)
  ticks_before=$(cpu_ticks)
  gw_many=$(wrk_json "http://127.0.0.1:$gw_port$2" "$gw_file" 64)
  ticks_after=$(cpu_ticks)
  hz=$(getconf CLK_TCK)
  python3 - "$name" "$direct" "$gw_one" "$gw_many" "$ticks_before" "$ticks_after" "$hz" <<'PY'
import json, sys
name, direct, one, many = sys.argv[1], *map(json.loads, sys.argv[2:5])
ticks, hz = int(sys.argv[6]) - int(sys.argv[5]), int(sys.argv[7])
for run in (direct, one, many):
    if run["non2xx"] or run["errors"]:
        sys.exit(f"{name}: {run['non2xx']} non-2xx answers, {run['errors']} errors")
cpu = ticks / hz / many["requests"] * 10000
print(f"| {name} | {direct['rps']:.0f} | {one['rps']:.0f} | {one['p50_us'] - direct['p50_us']} "
      f"| {many['rps']:.0f} | {cpu:.3f} |")
PY
}
for round in 1 2; do
  run_path "chat -> openai (passthrough)" /v1/chat/completions "$chat_body" bench/openai \
    /v1/chat/completions "$chat_body" sim-model
  run_path "messages -> anthropic (passthrough)" /v1/messages "$messages_body" bench/anthropic \
    /v1/messages "$messages_body" claude-sim
  run_path "messages -> openai (translated)" /v1/messages "$messages_body" bench/openai \
    /v1/chat/completions "$chat_body" sim-model
  run_path "chat -> anthropic (translated)" /v1/chat/completions "$chat_body" bench/anthropic \
    /v1/messages "$messages_body" claude-sim
done
