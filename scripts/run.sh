#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts three local upstream simulators standing in
# for three providers, and runs the gateway on http://127.0.0.1:8080 with
# config/examples/demo.yaml. No API keys, no network. Ctrl-C stops everything.
# On the first run it fills the usage ledger with 12 weeks of backdated demo traffic
# (`gateway demo-traffic`, docs/demo-traffic.md), so the rankings page has history to show.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -- gateway gateway-sim

sim=build/gateway/simulator/gateway-sim
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Three providers with different speeds: fast, cheap-but-slower, and steady.
"$sim" --listen 127.0.0.1:9101 --workers 1 --ttft-ms 150 --tokens-per-second 120 --tokens 48 &
pids+=($!)
"$sim" --listen 127.0.0.1:9102 --workers 1 --ttft-ms 450 --tokens-per-second 45 --tokens 48 &
pids+=($!)
"$sim" --listen 127.0.0.1:9103 --workers 1 --ttft-ms 250 --tokens-per-second 80 --tokens 48 &
pids+=($!)
# And one that speaks Anthropic's Messages API (provider sim-anthropic, api: anthropic).
"$sim" --listen 127.0.0.1:9104 --workers 1 --ttft-ms 200 --tokens-per-second 90 --tokens 48 &
pids+=($!)

# Wait until every simulator accepts connections (each check is a TCP connect; ~10 s at most).
for port in 9101 9102 9103 9104; do
  for attempt in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    if [[ $attempt == 200 ]]; then echo "run.sh: simulator on :$port did not start" >&2; exit 1; fi
    sleep 0.05
  done
done

# History for the rankings: weeks of backdated traffic through the simulators, once (a ledger
# that already holds records is left alone).
if ! build/gateway/gateway demo-traffic --config config/examples/demo.yaml --if-empty; then
  echo "run.sh: demo traffic failed (see above); serving anyway" >&2
fi

# A demo key with a small daily budget (docs/keys.md), new on every run since a secret is shown
# only when its key is created; the previous run's demo key is deleted.
demo_keys() { build/gateway/gateway keys "$1" --config config/examples/demo.yaml "${@:2}"; }
for hash in $(demo_keys list --format json | awk -F'"' '/"hash"/ {h = $4} /"name": "demo key"/ {print h}'); do
  demo_keys delete "$hash" >/dev/null
done
demo_key=$(demo_keys create --name "demo key" --limit 0.001 --reset daily 2>/dev/null |
  awk -F'"' '/"key":/ {print $4}')

cat <<'MSG'

  Gateway on http://127.0.0.1:8080 (simulated providers on :9101-9104).
  Rankings with 12 weeks of demo history: http://127.0.0.1:8080/rankings

  Try:

    curl -s http://127.0.0.1:8080/v1/chat/completions -H 'Content-Type: application/json' \
      -d '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}'

    curl -sN http://127.0.0.1:8080/v1/chat/completions -H 'Content-Type: application/json' \
      -d '{"model":"meta-llama/llama-3.1-8b-instruct","stream":true,
           "messages":[{"role":"user","content":"Hello!"}]}'

    curl -s http://127.0.0.1:8080/v1/messages -H 'Content-Type: application/json' \
      -d '{"model":"anthropic/claude-3.5-haiku","max_tokens":256,
           "messages":[{"role":"user","content":"Hello!"}]}'

  OpenAI SDKs: base_url="http://127.0.0.1:8080/v1", any api_key.
  Anthropic SDKs and Claude Code: ANTHROPIC_BASE_URL=http://127.0.0.1:8080, any key, e.g.
    ANTHROPIC_BASE_URL=http://127.0.0.1:8080 ANTHROPIC_API_KEY=demo \
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 claude --model anthropic/claude-3.5-haiku
MSG
cat <<MSG
  A key with a budget of \$0.001 a day (docs/keys.md): a few requests spend it, then 402.
    for i in \$(seq 8); do curl -s -o /dev/null -w '%{http_code} ' \\
      http://127.0.0.1:8080/v1/chat/completions -H 'Authorization: Bearer $demo_key' \\
      -H 'Content-Type: application/json' -d '{"model":"anthropic/claude-3.5-haiku",
      "max_tokens":64,"messages":[{"role":"user","content":"Hello!"}]}'; done
    curl -s http://127.0.0.1:8080/v1/key -H 'Authorization: Bearer $demo_key'
  Manage keys: build/gateway/gateway keys --help

  Ctrl-C to stop.

MSG
build/gateway/gateway serve --config config/examples/demo.yaml &
pids+=($!)
wait "${pids[-1]}"
