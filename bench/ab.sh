#!/usr/bin/env bash
# bench/ab.sh OLD_GATEWAY NEW_GATEWAY [BUILD_DIR]: an interleaved A/B of two gateway binaries on
# the chat path (small request, OpenAI-compatible gateway-sim upstream, accounting on), each
# pinned to CPU 0 with the simulator and wrk on CPU 1: A B A B A B, 3 s runs at c=1 and c=64.
# Prints, per run, requests/s, p50 and p99 at c=1, requests/s and p99 at c=64 and the gateway's
# CPU seconds per 10k requests at c=64. Use it to check a change to the data path against the binary before.
# GW_AB_OLD_ACCOUNTING / GW_AB_NEW_ACCOUNTING: extra keys of each side's accounting block, e.g.
# GW_AB_OLD_ACCOUNTING='durability: async' to compare the two durability modes of one binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
old=$1
new=$2
build="$(cd "$here/.." && cd "${3:-build}" && pwd)"
duration=${GW_BENCH_DURATION_S:-3}
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
sim_port=19321
taskset -c 1 "$build/gateway/simulator/gateway-sim" --listen 127.0.0.1:$sim_port --workers 1 \
  > /dev/null 2>&1 &
pids+=($!)
printf '%s' '{"model":"bench/chat","max_tokens":16,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write a haiku about the sea, please."}]}' > "$work/body.json"
start_gateway() {  # NAME BINARY PORT [ACCOUNTING_KEYS] -> pid
  cat > "$work/$1.yaml" <<YAML
server: { listen: "127.0.0.1:$3", workers: 1, access_log: false }
accounting: { data_dir: "$work/$1-data"${4:+, $4} }
providers: [{ name: sim, base_url: "http://127.0.0.1:$sim_port/v1" }]
models:
  - id: bench/chat
    context_length: 32768
    endpoints: [{ provider: sim, model: sim-model, pricing: { prompt: 1, completion: 2 } }]
YAML
  taskset -c 0 "$2" serve --config "$work/$1.yaml" > "$work/$1.log" 2>&1 &
  echo $!
}
old_pid=$(start_gateway old "$old" 19322 "${GW_AB_OLD_ACCOUNTING:-}")
new_pid=$(start_gateway new "$new" 19323 "${GW_AB_NEW_ACCOUNTING:-}")
pids+=("$old_pid" "$new_pid")
for port in $sim_port 19322 19323; do
  for attempt in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    [[ $attempt == 200 ]] && { echo "port $port did not open" >&2; exit 1; }
    sleep 0.05
  done
done
wrk_json() {
  GW_BENCH_BODY="$work/body.json" taskset -c 1 wrk -t1 -c"$2" -d"${duration}s" --latency \
    -s "$here/wrk_post.lua" "http://127.0.0.1:$1/v1/chat/completions" 2>/dev/null |
    sed -n 's/^WRKJSON //p'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "| binary | c=1 req/s | c=1 p50 (µs) | c=1 p99 (µs) | c=64 req/s | c=64 p99 (µs) | CPU s / 10k req (c=64) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for round in 1 2 3; do
  for side in old new; do
    port=19322 pid=$old_pid
    [[ $side == new ]] && port=19323 pid=$new_pid
    one=$(wrk_json $port 1)
    before=$(cpu_ticks "$pid")
    many=$(wrk_json $port 64)
    after=$(cpu_ticks "$pid")
    python3 - "$side" "$one" "$many" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
side, one, many = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
ticks, hz = int(sys.argv[4]), int(sys.argv[5])
print(f"| {side} | {one['rps']:.0f} | {one['p50_us']} | {one['p99_us']} | {many['rps']:.0f} "
      f"| {many['p99_us']} "
      f"| {ticks / hz / many['requests'] * 10000:.3f} |")
PY
  done
done
